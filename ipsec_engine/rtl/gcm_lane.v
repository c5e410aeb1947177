// One AES-GCM lane: a fully unrolled 14-round AES pipeline (one 128-bit block per cycle) and
// a 4-stage pipelined GHASH multiplier taking one block per cycle, for 96-bit IVs.
//
// Input beats of a packet (one per cycle when in_valid): DESC (IV in in_data[127:32] plus the
// sideband fields), ceil(A/16) AAD beats, ceil(P/16) TEXT beats, END (expected tag for decrypt,
// anything for encrypt). DESC feeds J0 = IV || 1 into AES (the tag mask E(K,J0)); END carries
// the GHASH length block. Cycles per packet = ceil(A/16) + ceil(P/16) + 1 + c with c = 1
// (gcm_timing.h). Output beats: one per TEXT beat (text, out_bytes valid bytes), then the tag
// beat (out_is_tag, all 16 bytes, out_tag_match = first tag_len bytes equal the expected tag).
//
// AES-128 and AES-256 have the same latency: AES-128 does its final round at stage 10 and
// bypasses stages 11..14, so key sizes mix freely in one stream.
//
// GHASH feedback Y = (Y ^ X) * H cannot close in one cycle through a 4-stage multiplier, so
// block i goes to accumulator class i mod 4 and is multiplied by H^4 while a later block of its
// class follows, else by H^(n-i+1) (n = GHASH blocks of the packet); the tag is the XOR of the
// last min(n,4) products and E(K,J0). H..H^4 per key slot come from the key store.
//
// Backpressure: the whole lane advances only when its output register is empty or taken.
module gcm_lane #(
    parameter integer SLOTS  = 8,
    parameter integer SLOT_W = 3
) (
    input  wire              clk,
    input  wire              rst,
    // key store, loaded at SA install: ld_index 0..14 = round keys, 16..19 = H^1..H^4.
    // ld_we = the core's ld_valid && ld_ready; ld_busy = a packet of this lane still reads
    // slot ld_slot (entering, or in AES stages 0..14 / the H^k read at stage 14).
    input  wire              ld_we,
    output wire              ld_busy,
    input  wire [SLOT_W-1:0] ld_slot,
    input  wire [4:0]        ld_index,
    input  wire              ld_aes256,
    input  wire [127:0]      ld_data,
    // input stream
    input  wire              in_valid,
    output wire              in_ready,
    input  wire [127:0]      in_data,
    input  wire [SLOT_W-1:0] in_slot,      // DESC beat only
    input  wire              in_decrypt,   // DESC beat only
    input  wire [31:0]       in_aad_len,   // DESC beat only, bytes
    input  wire [31:0]       in_text_len,  // DESC beat only, bytes
    input  wire [4:0]        in_tag_len,   // DESC beat only, 1..16 bytes compared on decrypt
    // output stream
    output wire              out_valid,
    input  wire              out_ready,
    output wire [127:0]      out_data,
    output wire [4:0]        out_bytes,
    output wire              out_is_tag,
    output wire              out_tag_match
);
  // One copy of the lane's evaluation code for all lanes (keeps the 4-lane build small).
  /* verilator no_inline_module */
  localparam [1:0] K_DESC = 2'd0, K_AAD = 2'd1, K_TEXT = 2'd2, K_END = 2'd3;
  localparam integer NS = 19;  // pipeline registers 0..18: AES 0..14, multiplier 15..18

  // ---------------------------------------------------------------- pipeline registers
  reg              p_v     [0:NS-1];
  reg [1:0]        p_kind  [0:NS-1];
  reg [SLOT_W-1:0] p_slot  [0:NS-1];
  reg              p_a256  [0:NS-1];
  reg              p_dec   [0:NS-1];
  reg [4:0]        p_bytes [0:NS-1];
  reg [1:0]        p_pow   [0:NS-1];  // H power index: H^(p_pow+1)
  reg              p_fin   [0:NS-1];  // product is one of the packet's last 4
  reg              p_first [0:NS-1];  // one of the packet's first 4 GHASH blocks
  reg [1:0]        p_cls   [0:NS-1];
  reg [4:0]        p_tlen  [0:NS-1];
  reg [127:0]      p_state [0:14];    // AES state (or the length block on END slots)
  reg [127:0]      p_data  [0:NS-1];  // text / AAD / E(K,J0) / expected tag

  reg              o_v;
  reg [127:0]      o_data;
  reg [4:0]        o_bytes;
  reg              o_tag;
  reg              o_match;

  wire en = !(o_v && !out_ready);
  assign in_ready = en && !rst;
  wire in_fire = in_valid && in_ready;

  // ---------------------------------------------------------------- key store
  reg              slot_a256 [0:SLOTS-1];
  reg [127:0]      rk_mem    [0:14][0:SLOTS-1];
  reg [127:0]      h_mem     [0:3][0:SLOTS-1];
  always @(posedge clk) begin
    if (ld_we) begin
      if (ld_index <= 5'd14) rk_mem[ld_index[3:0]][ld_slot] <= ld_data;
      if (ld_index >= 5'd16 && ld_index <= 5'd19) h_mem[ld_index[1:0]][ld_slot] <= ld_data;
      if (ld_index == 5'd0) slot_a256[ld_slot] <= ld_aes256;
    end
  end

  // ---------------------------------------------------------------- input sequencer
  reg [1:0]        s_phase;   // kind of the next beat
  reg [95:0]       s_iv;
  reg [31:0]       s_ctr;
  reg [31:0]       s_aad_left, s_text_left, s_aad_len, s_text_len;
  reg [SLOT_W-1:0] s_slot;
  reg              s_a256, s_dec;
  reg [4:0]        s_tlen;
  reg [31:0]       s_rem;     // GHASH blocks after the current one
  reg [2:0]        s_gidx;    // GHASH block index in the packet, saturating at 4
  reg [1:0]        s_cls;     // GHASH block index mod 4: accumulator class

  wire [31:0] d_blocks = ((in_aad_len + 32'd15) >> 4) + ((in_text_len + 32'd15) >> 4);
  wire [31:0] left_now = (s_phase == K_AAD) ? s_aad_left : s_text_left;
  wire [4:0]  beat_bytes = (left_now >= 32'd16) ? 5'd16 : left_now[4:0];
  wire [31:0] left_next = left_now - {27'd0, beat_bytes};

  reg [127:0] aes_in;
  reg [1:0]   next_phase;
  always @* begin
    aes_in = 128'd0;
    next_phase = K_DESC;
    case (s_phase)
      K_DESC: begin
        aes_in = {in_data[127:32], 32'd1};
        next_phase = (in_aad_len != 0) ? K_AAD : (in_text_len != 0) ? K_TEXT : K_END;
      end
      K_AAD: next_phase = (left_next != 0) ? K_AAD : (s_text_left != 0) ? K_TEXT : K_END;
      K_TEXT: begin
        aes_in = {s_iv, s_ctr};
        next_phase = (left_next != 0) ? K_TEXT : K_END;
      end
      default: begin  // END: [len(A)]_64 || [len(C)]_64 in bits rides in the state chain
        aes_in = {29'd0, s_aad_len, 3'd0, 29'd0, s_text_len, 3'd0};
        next_phase = K_DESC;
      end
    endcase
  end

  wire             is_desc = (s_phase == K_DESC);
  wire [SLOT_W-1:0] cur_slot = is_desc ? in_slot : s_slot;
  wire             cur_a256 = is_desc ? slot_a256[in_slot] : s_a256;
  wire             uses_aes = (s_phase == K_DESC) || (s_phase == K_TEXT);

  always @(posedge clk) begin
    if (rst) begin
      s_phase <= K_DESC;
    end else if (in_fire) begin
      s_phase <= next_phase;
      if (is_desc) begin
        s_iv <= in_data[127:32];
        s_ctr <= 32'd2;
        s_aad_left <= in_aad_len;
        s_text_left <= in_text_len;
        s_aad_len <= in_aad_len;
        s_text_len <= in_text_len;
        s_slot <= in_slot;
        s_a256 <= slot_a256[in_slot];
        s_dec <= in_decrypt;
        s_tlen <= in_tag_len;
        s_rem <= d_blocks;
        s_gidx <= 3'd0;
        s_cls <= 2'd0;
      end else begin
        s_cls <= s_cls + 2'd1;
        s_rem <= s_rem - 32'd1;
        if (s_gidx != 3'd4) s_gidx <= s_gidx + 3'd1;
        if (s_phase == K_AAD) s_aad_left <= left_next;
        if (s_phase == K_TEXT) begin
          s_text_left <= left_next;
          s_ctr <= s_ctr + 32'd1;  // inc32 (SP 800-38D 6.2)
        end
      end
    end
  end

  // Slot in use: a packet past its DESC but not its END (s_slot), or any valid beat in the
  // stages that read the key store (0..14). Writing then would mix two keys in one packet.
  reg busy_pipe;
  integer q;
  always @* begin
    busy_pipe = 1'b0;
    for (q = 0; q <= 14; q = q + 1) busy_pipe = busy_pipe | (p_v[q] && p_slot[q] == ld_slot);
  end
  assign ld_busy = busy_pipe || (s_phase != K_DESC && s_slot == ld_slot);

  // stage 0: initial AddRoundKey
  always @(posedge clk) begin
    if (rst) p_v[0] <= 1'b0;
    else if (en) p_v[0] <= in_fire;
    if (en) begin
      p_kind[0]  <= s_phase;
      p_slot[0]  <= cur_slot;
      p_a256[0]  <= cur_a256;
      p_dec[0]   <= is_desc ? in_decrypt : s_dec;
      p_bytes[0] <= (s_phase == K_AAD || s_phase == K_TEXT) ? beat_bytes : 5'd16;
      p_pow[0]   <= (s_rem >= 32'd3) ? 2'd3 : s_rem[1:0];
      p_fin[0]   <= (s_rem < 32'd4);
      p_first[0] <= (s_gidx < 3'd4);
      p_cls[0]   <= s_cls;
      p_tlen[0]  <= s_tlen;
      p_state[0] <= uses_aes ? (aes_in ^ rk_mem[0][cur_slot]) : aes_in;
      p_data[0]  <= in_data;
    end
  end

  // ---------------------------------------------------------------- stages 1..18
  genvar k;
  generate
    for (k = 1; k < NS; k = k + 1) begin : g_meta
      always @(posedge clk) begin
        if (rst) p_v[k] <= 1'b0;
        else if (en) p_v[k] <= p_v[k-1];
        if (en) begin
          p_kind[k]  <= p_kind[k-1];
          p_slot[k]  <= p_slot[k-1];
          p_a256[k]  <= p_a256[k-1];
          p_dec[k]   <= p_dec[k-1];
          p_bytes[k] <= p_bytes[k-1];
          p_pow[k]   <= p_pow[k-1];
          p_fin[k]   <= p_fin[k-1];
          p_first[k] <= p_first[k-1];
          p_cls[k]   <= p_cls[k-1];
          p_tlen[k]  <= p_tlen[k-1];
        end
      end
    end
    for (k = 1; k <= 14; k = k + 1) begin : g_aes
      wire aes_slot = (p_kind[k-1] == K_DESC) || (p_kind[k-1] == K_TEXT);
      wire last_128 = (k == 10) && !p_a256[k-1];
      wire bypass_128 = (k > 10) && !p_a256[k-1];
      wire [1:0] mode = (!aes_slot || bypass_128) ? 2'd2 :
                        (k == 14 || last_128) ? 2'd1 : 2'd0;
      wire [127:0] round_out;
      gcm_aes_round u_round (
          .state_in(p_state[k-1]), .round_key(rk_mem[k][p_slot[k-1]]),
          .mode(mode), .state_out(round_out));
      always @(posedge clk) begin
        if (en) begin
          p_state[k] <= round_out;
          p_data[k]  <= p_data[k-1];
        end
      end
    end
  endgenerate

  // ---------------------------------------------------------------- stage 14 -> GHASH
  reg [127:0] byte_mask;
  integer b;
  always @* begin
    for (b = 0; b < 16; b = b + 1) byte_mask[127-8*b -: 8] = (b < p_bytes[14]) ? 8'hff : 8'h00;
  end
  wire [127:0] keystream = p_state[14];
  wire [127:0] text_out = (p_data[14] ^ keystream) & byte_mask;
  wire [127:0] gh_x = (p_kind[14] == K_AAD)  ? (p_data[14] & byte_mask) :
                      (p_kind[14] == K_TEXT) ? (p_dec[14] ? (p_data[14] & byte_mask) : text_out) :
                      p_state[14];  // END: length block

  reg  [127:0] acc [0:3];  // last product of each class
  wire [127:0] product;  // from stage 18 (multiplier stage 4)
  wire fwd = p_v[18] && (p_kind[18] != K_DESC) && (p_cls[18] == p_cls[14]);
  wire [127:0] feedback = p_first[14] ? 128'd0 : (fwd ? product : acc[p_cls[14]]);
  wire [127:0] mul_a = gh_x ^ feedback;
  wire [127:0] mul_b = h_mem[p_pow[14]][p_slot[14]];

  gcm_gf_mult u_mult (.clk(clk), .en(en), .a(mul_a), .b(mul_b), .product(product));

  always @(posedge clk) begin
    if (en) begin
      // stage 15 data: text out, E(K,J0) for DESC, expected tag for END
      p_data[15] <= (p_kind[14] == K_TEXT) ? text_out :
                    (p_kind[14] == K_DESC) ? keystream : p_data[14];
      p_data[16] <= p_data[15];
      p_data[17] <= p_data[16];
      p_data[18] <= p_data[17];
    end
  end

  // ---------------------------------------------------------------- stage 18 -> tag, output
  reg  [127:0] s_sum;  // E(K,J0) XOR the final products seen so far
  wire [127:0] tag = s_sum ^ product;
  reg  [127:0] tag_mask;
  always @* begin
    for (b = 0; b < 16; b = b + 1) tag_mask[127-8*b -: 8] = (b < p_tlen[18]) ? 8'hff : 8'h00;
  end
  wire gh_slot = p_kind[18] != K_DESC;

  always @(posedge clk) begin
    if (en && p_v[18]) begin
      if (!gh_slot) s_sum <= p_data[18];
      else if (p_fin[18]) s_sum <= tag;
      if (gh_slot) acc[p_cls[18]] <= product;
    end
    if (rst) o_v <= 1'b0;
    else if (en) o_v <= p_v[18] && (p_kind[18] == K_TEXT || p_kind[18] == K_END);
    if (en) begin
      o_data  <= (p_kind[18] == K_END) ? tag : p_data[18];
      o_bytes <= p_bytes[18];
      o_tag   <= (p_kind[18] == K_END);
      o_match <= ((tag ^ p_data[18]) & tag_mask) == 128'd0;
    end
  end

  assign out_valid = o_v;
  assign out_data = o_data;
  assign out_bytes = o_bytes;
  assign out_is_tag = o_tag;
  assign out_tag_match = o_match;
endmodule
