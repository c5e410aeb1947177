// Pipelined GF(2^128) multiplier for GHASH, 4 register stages, one product per cycle.
// GCM elements are bit-reflected (x^0 is bit 127 here; SP 800-38D 6.3). Read as plain
// polynomials with bit i = y^i, the operands are the reciprocals of a(x) and b(x), so their
// ordinary carry-less product C (255 bits) holds the coefficient of x^j at bit 254-j:
// C[254:127] is the low half (degrees 0..127, already in GCM order) and {C[126:0], 0} the high
// half, folded with x^128 = x^7 + x^2 + x + 1 (right shifts by 0, 1, 2, 7, then once more for
// the <= 7 bits that fall off). C comes from three 64x64 carry-less products (Karatsuba).
//   stage 1: a0*b0, a1*b1       stage 2: (a0^a1)*(b0^b1)
//   stage 3: 255-bit product    stage 4: reduction
// Written with 64-bit operands so that Verilator evaluates it with 64-bit words.
// Enable-qualified stages (clock gating of an idle multiplier): `en` says a, b are an operand
// pair; each stage loads only when the stage before it held one, so product is valid 4 cycles
// after an `en` cycle and holds otherwise (a simulator then skips an idle multiplier's work).
module gcm_gf_mult (
    input  wire         clk,
    input  wire         en,
    input  wire [127:0] a,
    input  wire [127:0] b,
    output wire [127:0] product
);
  function automatic [126:0] clmul64(input [63:0] x, input [63:0] y);
    reg [63:0] lo, hi;
    integer i;
    begin
      lo = 64'd0;
      hi = 64'd0;
      for (i = 0; i < 64; i = i + 1) begin
        lo = lo ^ ((x << i) & {64{y[i]}});
        hi = hi ^ ((x >> (64 - i)) & {64{y[i]}});
      end
      clmul64 = {hi[62:0], lo};  // degree <= 126
    end
  endfunction

  reg [126:0] s1_p0, s1_p2;
  reg [63:0]  s1_am, s1_bm;
  reg [126:0] s2_p0, s2_p1, s2_p2;
  reg [254:0] s3_c;
  reg [127:0] s4_z;

  wire [127:0] hv = {s3_c[126:0], 1'b0};
  wire [127:0] fold1 = s3_c[254:127] ^ hv ^ (hv >> 1) ^ (hv >> 2) ^ (hv >> 7);
  wire [127:0] spill = (hv << 127) ^ (hv << 126) ^ (hv << 121);
  wire [127:0] reduced = fold1 ^ spill ^ (spill >> 1) ^ (spill >> 2) ^ (spill >> 7);
  wire [126:0] mid = s2_p1 ^ s2_p0 ^ s2_p2;

  reg v1, v2, v3;  // stage 1, 2, 3 hold an operand pair's partial results
  always @(posedge clk) begin
    v1 <= en;
    v2 <= v1;
    v3 <= v2;
    if (en) begin
      s1_p0 <= clmul64(a[63:0], b[63:0]);
      s1_p2 <= clmul64(a[127:64], b[127:64]);
      s1_am <= a[63:0] ^ a[127:64];
      s1_bm <= b[63:0] ^ b[127:64];
    end
    if (v1) begin
      s2_p0 <= s1_p0;
      s2_p2 <= s1_p2;
      s2_p1 <= clmul64(s1_am, s1_bm);
    end
    if (v2) s3_c <= {s2_p2, 128'd0} ^ {64'd0, mid, 64'd0} ^ {128'd0, s2_p0};
    if (v3) s4_z <= reduced;
  end
  assign product = s4_z;
endmodule
