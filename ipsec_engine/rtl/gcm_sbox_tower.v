// AES S-box in composite-field logic: S(x) = A * inv(x) + 0x63 (FIPS-197 5.1.1) with the
// inversion done in the tower GF(((2^2)^2)^2) instead of GF(2^8), after Canright ("A very
// compact S-box for AES", CHES 2005): the 8-bit inverse reduces to one GF(2^4) inverse, which
// reduces to one GF(2^2) inverse (a squaring). Bases here are polynomial, not Canright's
// normal bases (a smaller gate count is left for later):
//   GF(2^2) = GF(2)[z]/(z^2+z+1)        element {a1,a0} = a1*z + a0
//   GF(2^4) = GF(2^2)[y]/(y^2+y+N)      N = z (2'b10)
//   GF(2^8) = GF(2^4)[x]/(x^2+x+L)      L = 4'b1000 (= z*y)
// The AES field maps in by IN_ROW (x^i -> beta^i, beta = 8'h41, a root of x^8+x^4+x^3+x+1 in
// the tower); OUT_ROW is the inverse map folded into the affine matrix A. Row j of a matrix is
// the mask of input bits whose parity gives output bit j. The matrices come from a search
// over the tower (see the README); tests/rtl proves the module equal to the table.
module gcm_sbox_tower (
    input  wire [7:0] in,
    output wire [7:0] out
);
  localparam [63:0] IN_ROW  = {8'ha0, 8'hde, 8'h0c, 8'h70, 8'h68, 8'h9c, 8'h34, 8'h03};
  localparam [63:0] OUT_ROW = {8'h2c, 8'h30, 8'h74, 8'hbf, 8'h9b, 8'ha9, 8'h35, 8'h5b};

  function automatic [7:0] lin8(input [63:0] rows, input [7:0] v);
    integer j;
    begin
      for (j = 0; j < 8; j = j + 1) lin8[j] = ^(rows[8*j +: 8] & v);
    end
  endfunction
  // GF(2^2) product: z^2 = z + 1
  function automatic [1:0] mul2(input [1:0] a, input [1:0] b);
    mul2 = {(a[1] & b[1]) ^ (a[1] & b[0]) ^ (a[0] & b[1]), (a[1] & b[1]) ^ (a[0] & b[0])};
  endfunction
  // times N = z: (a1 z + a0) z = (a1 + a0) z + a1
  function automatic [1:0] mul2_n(input [1:0] a);
    mul2_n = {a[1] ^ a[0], a[1]};
  endfunction
  // inverse in GF(2^2) is the square (a^3 = 1): (a1 z + a0)^2 = a1 z + (a1 + a0); 0 -> 0
  function automatic [1:0] inv2(input [1:0] a);
    inv2 = {a[1], a[1] ^ a[0]};
  endfunction
  function automatic [3:0] mul4(input [3:0] a, input [3:0] b);
    reg [1:0] hh;
    begin
      hh = mul2(a[3:2], b[3:2]);
      mul4 = {hh ^ mul2(a[3:2], b[1:0]) ^ mul2(a[1:0], b[3:2]), mul2_n(hh) ^ mul2(a[1:0], b[1:0])};
    end
  endfunction
  // (a1 y + a0)^-1 = (a1 y + a1 + a0) / (a1^2 N + a1 a0 + a0^2) for y^2 + y + N
  function automatic [3:0] inv4(input [3:0] a);
    reg [1:0] d, di;
    begin
      d = mul2_n(mul2(a[3:2], a[3:2])) ^ mul2(a[3:2], a[1:0]) ^ mul2(a[1:0], a[1:0]);
      di = inv2(d);
      inv4 = {mul2(a[3:2], di), mul2(a[3:2] ^ a[1:0], di)};
    end
  endfunction
  // times L = 4'b1000 in GF(2^4), written as a product (constant-folded by synthesis)
  function automatic [3:0] mul4_l(input [3:0] a);
    mul4_l = mul4(a, 4'b1000);
  endfunction

  wire [7:0] t = lin8(IN_ROW, in);
  wire [3:0] th = t[7:4], tl = t[3:0];
  wire [3:0] delta = mul4_l(mul4(th, th)) ^ mul4(th, tl) ^ mul4(tl, tl);
  wire [3:0] delta_inv = inv4(delta);
  wire [7:0] t_inv = {mul4(th, delta_inv), mul4(th ^ tl, delta_inv)};
  assign out = lin8(OUT_ROW, t_inv) ^ 8'h63;
endmodule
