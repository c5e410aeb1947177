// AES S-box (FIPS-197 5.1.1) for the 16 bytes of one round. Two implementations, chosen by
// COMPOSITE:
//   0: a 256 x 8 constant table (SBOX_TABLE, byte v at bits [8v+7:8v]), read by the 16 ports
//      as SBOX_TABLE[8v +: 8] (synthesis maps it like a ROM: 6,601 generic Yosys cells for the
//      16 ports). No `initial` block (synthesis would leave an initial-filled ROM undriven).
//      Under Verilator the same table is first spread into a wire array (the indexed packed
//      constant simulated 2x slower; research/perf_limits.md section 3), never a `case` in a
//      function (g++ -O3 ran > 14 min on that form). Both forms read the one SBOX_TABLE.
//   1: composite (tower) field logic, gcm_sbox_tower.v: 3,391 cells for 16 ports, 21 levels
//      deep instead of 11-12.
// Equivalence: tests/rtl proves COMPOSITE=1 equal to the table form (exhaustive over 256
// inputs under Icarus, and a Yosys SAT proof); CAVP vectors run through the Verilator form.
module gcm_sbox16 #(
    parameter integer COMPOSITE = 0
) (
    input  wire [127:0] in,
    output wire [127:0] out
);
  localparam [2047:0] SBOX_TABLE = {
      256'h16bb54b00f2d99416842e6bf0d89a18cdf2855cee9871e9b948ed9691198f8e1,
      256'h9e1dc186b95735610ef6034866b53e708a8bbd4b1f74dde8c6b4a61c2e2578ba,
      256'h08ae7a65eaf4566ca94ed58d6d37c8e779e4959162acd3c25c2406490a3a32e0,
      256'hdb0b5ede14b8ee4688902a22dc4f816073195d643d7ea7c41744975fec130ccd,
      256'hd2f3ff1021dab6bcf5389d928f40a351a89f3c507f02f94585334d43fbaaefd0,
      256'hcf584c4a39becb6a5bb1fc20ed00d153842fe329b3d63b52a05a6e1b1a2c8309,
      256'h75b227ebe28012079a059618c323c7041531d871f1e5a534ccf73f362693fdb7,
      256'hc072a49cafa2d4adf04759fa7dc982ca76abd7fe2b670130c56f6bf27b777c63
  };
  genvar i;
  generate
    if (COMPOSITE != 0) begin : g_tower
      for (i = 0; i < 16; i = i + 1) begin : g_port
        gcm_sbox_tower u_sbox (.in(in[8*i +: 8]), .out(out[8*i +: 8]));
      end
    end else begin : g_table
`ifdef VERILATOR
      wire [7:0] rom [0:255];
      for (i = 0; i < 256; i = i + 1) begin : g_rom
        assign rom[i] = SBOX_TABLE[8*i +: 8];
      end
      for (i = 0; i < 16; i = i + 1) begin : g_port
        assign out[8*i +: 8] = rom[in[8*i +: 8]];
      end
`else
      for (i = 0; i < 16; i = i + 1) begin : g_port
        assign out[8*i +: 8] = SBOX_TABLE[8*in[8*i +: 8] +: 8];
      end
`endif
    end
  endgenerate
endmodule
