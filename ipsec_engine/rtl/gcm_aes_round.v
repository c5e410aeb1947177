// One AES round (FIPS-197 5.1): SubBytes, ShiftRows, MixColumns, AddRoundKey.
// Byte 0 of the state is bits [127:120]; bytes 0..3 are column 0.
// mode: 0 = full round, 1 = final round (no MixColumns), 2 = bypass (state passes
// unchanged: AES-128 rounds 11..14, and slots that carry AAD / the length block).
module gcm_aes_round #(
    parameter integer COMPOSITE_SBOX = 0  // gcm_sbox16: 0 table, 1 tower field
) (
    input  wire [127:0] state_in,
    input  wire [127:0] round_key,
    input  wire [1:0]   mode,
    output wire [127:0] state_out
);
  localparam [1:0] MODE_FULL = 2'd0, MODE_FINAL = 2'd1;

  function automatic [7:0] xtime(input [7:0] v);
    xtime = {v[6:0], 1'b0} ^ (v[7] ? 8'h1b : 8'h00);
  endfunction

  wire [127:0] sub;
  wire [127:0] shifted;
  wire [127:0] mixed;

  gcm_sbox16 #(.COMPOSITE(COMPOSITE_SBOX)) u_sbox (.in(state_in), .out(sub));

  genvar i;
  generate
    // ShiftRows: byte (row r, column c) takes byte (r, c + r mod 4).
    for (i = 0; i < 16; i = i + 1) begin : g_shift
      localparam integer ROW = i % 4;
      localparam integer COL = i / 4;
      localparam integer SRC = ROW + 4 * ((COL + ROW) % 4);
      assign shifted[127-8*i -: 8] = sub[127-8*SRC -: 8];
    end
    for (i = 0; i < 4; i = i + 1) begin : g_mix
      wire [7:0] a0 = shifted[127-32*i -: 8];
      wire [7:0] a1 = shifted[119-32*i -: 8];
      wire [7:0] a2 = shifted[111-32*i -: 8];
      wire [7:0] a3 = shifted[103-32*i -: 8];
      assign mixed[127-32*i -: 8] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
      assign mixed[119-32*i -: 8] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
      assign mixed[111-32*i -: 8] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
      assign mixed[103-32*i -: 8] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
    end
  endgenerate

  assign state_out = (mode == MODE_FULL)  ? (mixed ^ round_key) :
                     (mode == MODE_FINAL) ? (shifted ^ round_key) : state_in;
endmodule
