// Miter for the Yosys SAT proof (ctest rtl_sbox_sat): ok = 1 for every input byte iff the
// composite-field S-box equals the table S-box on all 16 ports (each port sees the byte;
// identical port logic is merged by opt, so the proof is over one 8-bit function).
// BREAK_AT >= 0 falsifies ok on that one input: the negative control (rtl_sbox_sat_control)
// shows the proof can fail.
module sbox_equiv_miter #(
    parameter integer BREAK_AT = -1
) (
    input  wire [7:0] in,
    output wire       ok
);
  wire [127:0] table_out, tower_out;
  gcm_sbox16 #(.COMPOSITE(0)) u_table (.in({16{in}}), .out(table_out));
  gcm_sbox16 #(.COMPOSITE(1)) u_tower (.in({16{in}}), .out(tower_out));
  wire broken = (BREAK_AT >= 0) && ({24'd0, in} == BREAK_AT);
  assign ok = (table_out == tower_out) && !broken;
endmodule
