// Key setup in hardware (gcm_timing.h item 5): from an AES-128 or AES-256 key alone, the round
// keys (FIPS-197 5.2, one 128-bit round key per cycle, 4 S-boxes), H = E(K, 0^128) (an
// iterative AES round beside the expansion: round r is applied in the cycle round key r is
// written) and H^2, H^3, H^4 (a 4-stage GF(2^128) multiplier, gcm_gf_mult), written into the
// core's key store over its one fill port: words 0..Nr = round keys, 16..19 = H^1..H^4.
// The salt is not the core's business: it is the first 4 bytes of the 96-bit nonce on DESC.
//
// Timing without ld_ready stalls (request accepted in cycle a: ks_valid && ks_ready):
//   cycles a+1 .. a+1+Nr       round key r written in cycle a+1+r (AES state after round r)
//   cycle  a+2+Nr (t = 0)      H written, H*H enters the multiplier
//   t = 4                      H^2 leaves it (kept), H^2*H^2 enters at t = 5, H^2*H at t = 4
//   t = 5, 9, 10               H^2, H^3, H^4 written: the last word in cycle a + Nr + 12
// so the slot is usable from cycle a + Nr + 13 (AES-128: a + 23, AES-256: a + 27); each word
// waits for ld_ready (a packet of the slot still in the pipeline), the multiplier does not.
module gcm_keysetup #(
    parameter integer SLOT_W         = 3,
    parameter integer COMPOSITE_SBOX = 0
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              ks_valid,
    output wire              ks_ready,
    input  wire [SLOT_W-1:0] ks_slot,
    input  wire              ks_aes256,
    input  wire [255:0]      ks_key,     // AES-128: key in [255:128]
    output wire              ld_valid,   // the fill port toward the key store
    input  wire              ld_ready,
    output wire [SLOT_W-1:0] ld_slot,
    output wire [4:0]        ld_index,
    output wire              ld_aes256,
    output wire [127:0]      ld_data
);
  localparam [1:0] S_IDLE = 2'd0, S_KEYS = 2'd1, S_POW = 2'd2;
  reg [1:0]        phase;
  reg [SLOT_W-1:0] slot;
  reg              a256;
  reg [127:0]      rk_prev, rk_cur;  // round keys r-1 and r (AES-256 starts with the key's halves)
  reg [3:0]        r;                // round key being written
  reg [7:0]        rcon;
  reg [127:0]      st;               // AES state of 0^128 after rounds 0..r-1
  reg [3:0]        t;                // multiplier sequence counter (POW)
  reg [127:0]      h1, h2, h3, h4;
  reg [3:0]        avail;            // bit k: H^(k+1) computed
  reg [1:0]        widx;             // next of H^1..H^4 to write
  wire [3:0] nr = a256 ? 4'd14 : 4'd10;
  wire       fire = ld_valid && ld_ready;

  // ---------------------------------------------------------------- next round key
  wire [31:0] w3 = rk_cur[31:0];
  wire        rot = !a256 || r[0];  // AES-128 every key; AES-256 when the new key index is even
  wire [127:0] sb_in = {rot ? {w3[23:0], w3[31:24]} : w3, 96'd0};
  // SubWord through the first 4 ports of a 16-port S-box (the other 12 see a constant and
  // are removed by synthesis)
  /* verilator lint_off UNUSEDSIGNAL */
  wire [127:0] sb_out;
  /* verilator lint_on UNUSEDSIGNAL */
  gcm_sbox16 #(.COMPOSITE(COMPOSITE_SBOX)) u_ksbox (.in(sb_in), .out(sb_out));
  wire [31:0]  temp = sb_out[127:96] ^ (rot ? {rcon, 24'd0} : 32'd0);
  wire [127:0] base = a256 ? rk_prev : rk_cur;
  wire [31:0]  n0 = base[127:96] ^ temp;
  wire [31:0]  n1 = base[95:64] ^ n0;
  wire [31:0]  n2 = base[63:32] ^ n1;
  wire [31:0]  n3 = base[31:0] ^ n2;
  wire [127:0] rk_next = (a256 && r == 4'd0) ? rk_prev : {n0, n1, n2, n3};

  // ---------------------------------------------------------------- H = E(K, 0^128)
  wire [127:0] round_out;
  gcm_aes_round #(.COMPOSITE_SBOX(COMPOSITE_SBOX)) u_round (
      .state_in(st), .round_key(rk_cur), .mode((r == nr) ? 2'd1 : 2'd0), .state_out(round_out));

  // ---------------------------------------------------------------- H^2..H^4
  wire [127:0] product;
  wire [127:0] mul_a = (t == 4'd4) ? product : (t == 4'd5) ? h2 : h1;
  wire [127:0] mul_b = (t == 4'd4) ? h1 : (t == 4'd5) ? h2 : h1;
  gcm_gf_mult u_mult (.clk(clk), .en(phase == S_POW), .a(mul_a), .b(mul_b), .product(product));

  assign ks_ready = !rst && phase == S_IDLE;
  assign ld_valid = (phase == S_KEYS) || (phase == S_POW && avail[widx]);
  assign ld_slot = slot;
  assign ld_aes256 = a256;
  assign ld_index = (phase == S_KEYS) ? {1'b0, r} : {3'b100, widx};
  assign ld_data = (phase == S_KEYS) ? rk_cur :
                   (widx == 2'd0) ? h1 : (widx == 2'd1) ? h2 : (widx == 2'd2) ? h3 : h4;

  always @(posedge clk) begin
    if (rst) begin
      phase <= S_IDLE;
    end else begin
      case (phase)
        S_IDLE:
          if (ks_valid) begin
            phase <= S_KEYS;
            slot <= ks_slot;
            a256 <= ks_aes256;
            rk_cur <= ks_key[255:128];
            rk_prev <= ks_key[127:0];
            r <= 4'd0;
            rcon <= 8'h01;
            st <= 128'd0;
          end
        S_KEYS:
          if (fire) begin
            st <= (r == 4'd0) ? rk_cur : round_out;  // round 0: AddRoundKey of 0^128
            rk_prev <= rk_cur;
            rk_cur <= rk_next;
            if (rot && !(a256 && r == 4'd0)) rcon <= {rcon[6:0], 1'b0} ^ (rcon[7] ? 8'h1b : 8'h00);
            if (r == nr) begin
              phase <= S_POW;
              t <= 4'd0;
              widx <= 2'd0;
              avail <= 4'b0001;
            end else begin
              r <= r + 4'd1;
            end
          end
        default: begin  // S_POW
          if (t != 4'd15) t <= t + 4'd1;
          if (t == 4'd4) begin
            h2 <= product;
            avail[1] <= 1'b1;
          end
          if (t == 4'd8) begin
            h3 <= product;
            avail[2] <= 1'b1;
          end
          if (t == 4'd9) begin
            h4 <= product;
            avail[3] <= 1'b1;
          end
          if (fire) begin
            widx <= widx + 2'd1;
            if (widx == 2'd3) phase <= S_IDLE;
          end
        end
      endcase
    end
  end
  // h1 follows the AES state once the last round is in (t = 0 onwards)
  always @(posedge clk) if (phase == S_KEYS && fire && r == nr) h1 <= round_out;
endmodule
