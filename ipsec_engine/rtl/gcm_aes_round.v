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

  // xtime (multiply by x in GF(2^8), FIPS-197 4.2.1) of the 4 bytes of a word at once
  function automatic [31:0] xtime4(input [31:0] w);
    reg [31:0] m;
    begin
      m = (w >> 7) & 32'h01010101;  // the bytes' top bits, each at its byte's bit 0
      xtime4 = ((w << 1) & 32'hfefefefe) ^ m ^ (m << 1) ^ (m << 3) ^ (m << 4);  // ^ 0x1b
    end
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
    // MixColumns (FIPS-197 5.1.3) on a column word c = {a0, a1, a2, a3}: with r1, r2, r3 = c
    // rotated left by 1, 2, 3 bytes, byte j of the result is 2a_j ^ 3a_(j+1) ^ a_(j+2) ^ a_(j+3)
    // = xtime(c ^ r1) ^ r1 ^ r2 ^ r3 (xtime is linear): 32-bit word operations.
    for (i = 0; i < 4; i = i + 1) begin : g_mix
      wire [31:0] c  = shifted[127-32*i -: 32];
      wire [31:0] r1 = {c[23:0], c[31:24]};
      wire [31:0] r2 = {c[15:0], c[31:16]};
      wire [31:0] r3 = {c[7:0], c[31:8]};
      assign mixed[127-32*i -: 32] = xtime4(c ^ r1) ^ r1 ^ r2 ^ r3;
    end
  endgenerate

  assign state_out = (mode == MODE_FULL)  ? (mixed ^ round_key) :
                     (mode == MODE_FINAL) ? (shifted ^ round_key) : state_in;
endmodule
