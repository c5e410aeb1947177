// One AES-GCM lane: a fully unrolled 14-round AES pipeline (one 128-bit block per cycle) and
// a 4-stage pipelined GHASH multiplier taking one block per cycle, for 96-bit IVs.
//
// Input beats of a packet (one per cycle when in_valid): DESC (IV in in_data[127:32] plus the
// sideband fields), ceil(A/16) AAD beats, ceil(P/16) TEXT beats, END (expected tag for decrypt,
// anything for encrypt). DESC feeds J0 = IV || 1 into AES (the tag mask E(K,J0)); END carries
// the GHASH length block. Cycles per packet n = ceil(A/16) + ceil(P/16) + 1 + c with c = 1
// (gcm_timing.h). Output beats: one per TEXT beat (text, out_bytes valid bytes), then the tag
// beat (out_is_tag, all 16 bytes, out_tag_match = first tag_len bytes equal the expected tag,
// out_drop = a decrypt whose tag failed: the consumer must discard the packet's text beats).
//
// AES-128 and AES-256 have the same latency: AES-128 does its final round at stage 10 and
// bypasses stages 11..14, so key sizes mix freely in one stream.
//
// GHASH feedback Y = (Y ^ X) * H cannot close in one cycle through a 4-stage multiplier, so
// block i goes to accumulator class i mod 4 and is multiplied by H^4 while a later block of its
// class follows, else by H^(n-i+1) (n = GHASH blocks of the packet); the tag is the XOR of the
// last min(n,4) products and E(K,J0). H..H^4 per key slot come from the key store, which the
// lanes share (gcm_key_store in gcm_core; the lane only drives its read addresses).
//
// No pipeline stall (gcm_timing.h rules 1 and 3): every stage advances every cycle. A DESC
// offered to an idle lane is dispatched in the first cycle the output FIFO's free room covers
// all of its output beats (ceil(P/16) + 1); the room is reserved then, the lane holds
// `overhead` cycles and takes the DESC; the packet's other beats are taken whenever valid.
// Output backpressure fills the FIFO and so only delays later dispatches.
module gcm_lane #(
    parameter integer SLOT_W            = 3,
    parameter integer OUT_FIFO_DEPTH    = 1024,  // beats (gcm_timing.h out_fifo_depth)
    parameter integer RW                = $clog2(OUT_FIFO_DEPTH + 1) + 1,  // signed room width
    parameter integer COMPOSITE_SBOX    = 0,     // 1: tower-field S-boxes instead of tables
    parameter integer FAULT_EXTRA_STAGE = 0      // tests only: one more output register
) (
    input  wire              clk,
    input  wire              rst,
    input  wire [15:0]       overhead,     // run-time cycles held before each DESC
    input  wire [RW-1:0]     out_credit,   // run-time FIFO credit (<= OUT_FIFO_DEPTH), taken at rst
    // core dispatcher (sched = 1, run-time): `start` dispatches the packet whose DESC fields
    // are on d_*; the lane keeps them while it holds the overhead. The input stream then
    // carries only the AAD, TEXT and END beats. sched = 0: the DESC beat comes on in_* and
    // dispatches the lane itself (the per-lane interface).
    input  wire              sched,
    input  wire              start,
    input  wire [95:0]       d_iv,
    input  wire [SLOT_W-1:0] d_slot,
    input  wire              d_dec,
    input  wire [31:0]       d_aad_len,
    input  wire [31:0]       d_text_len,
    input  wire [4:0]        d_tag_len,
    output wire              lane_free,    // idle and not holding: can dispatch now
    output wire [RW-1:0]     lane_room,    // FIFO credit register (see `room`)
    // read ports into the core's shared key store (gcm_key_store): round key k of the slot
    // in AES stage k, H^(pow+1) of the slot at stage 14, the key-size flag of a DESC's slot.
    output wire [SLOT_W-1:0]    rk0_slot,  // stage 0 (depends on the DESC inputs)
    input  wire [127:0]         rk0_data,
    output wire [14*SLOT_W-1:0] rk_slot,   // stage k = 1..14 at k-1 (registers only)
    input  wire [14*128-1:0]    rk_data,
    output wire [SLOT_W-1:0]    h_slot,
    output wire [1:0]           h_pow,
    input  wire [127:0]         h_data,
    output wire [SLOT_W-1:0]    a_slot,
    input  wire                 a_aes256,
    // ld_busy = a packet of this lane still reads slot ld_slot (held, entering, or in AES
    // stages 0..14 / the H^k read at stage 14): the fill port must not write that slot.
    output wire              ld_busy,
    input  wire [SLOT_W-1:0] ld_slot,
    // slot-use events for the key cache's in-use count: a packet of use_inc_slot dispatched;
    // an END beat of use_dec_slot in stage 14 (its slot is free of this packet's reads after).
    output wire              use_inc,
    output wire [SLOT_W-1:0] use_inc_slot,
    output wire              use_dec,
    output wire [SLOT_W-1:0] use_dec_slot,
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
    output wire              out_tag_match,
    output wire              out_drop,
    output wire              fifo_overflow  // a lane bug if ever 1 (tests watch it)
);
  // One copy of the lane's evaluation code for all lanes (keeps the multi-lane builds small).
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

  // ---------------------------------------------------------------- dispatch, hold, credit
  // room = free FIFO entries - 1 (negative: none free). ceil(P/16) + 1 beats fit iff
  // ceil(P/16) <= room iff P <= 16 * room: one comparator on the input port, no adder. The
  // reservation is subtracted one cycle later from registered fields (the next dispatch on
  // this lane is >= 2 cycles away: n >= 2).
  reg  [1:0]           s_phase;  // kind of the next beat
  reg                  held;     // dispatched, holding the overhead before its DESC
  reg  [15:0]          hold_cnt;
  reg  signed [RW-1:0] room;
  reg                  resv_pend;
  reg  [RW-2:0]        resv_blocks;  // full text blocks of the packet just dispatched
  reg                  resv_part;    // ... and whether it has a partial one
  wire                 out_pop;
  // DESC fields: the DESC beat (sched = 0), or the dispatcher's d_* at `start`, kept in l_*
  // while the lane holds the overhead (sched = 1).
  reg  [95:0]          l_iv;
  reg  [SLOT_W-1:0]    l_slot;
  reg                  l_dec;
  reg  [31:0]          l_aad_len, l_text_len;
  reg  [4:0]           l_tag_len;
  wire [95:0]       desc_iv       = !sched ? in_data[127:32] : held ? l_iv : d_iv;
  wire [SLOT_W-1:0] desc_slot     = !sched ? in_slot : held ? l_slot : d_slot;
  wire              desc_dec      = !sched ? in_decrypt : held ? l_dec : d_dec;
  wire [31:0]       desc_aad_len  = !sched ? in_aad_len : held ? l_aad_len : d_aad_len;
  wire [31:0]       desc_text_len = !sched ? in_text_len : held ? l_text_len : d_text_len;
  wire [4:0]        desc_tag_len  = !sched ? in_tag_len : held ? l_tag_len : d_tag_len;

  wire lane_idle = (s_phase == K_DESC);
  assign lane_free = lane_idle && !held;
  assign lane_room = room;
  wire credit_ok = !room[RW-1] && ({4'b0000, in_text_len} <= {{(32 - RW) {1'b0}}, room, 4'b0000});
  wire dispatch = sched ? start : (lane_free && in_valid && credit_ok);
  wire desc_ok = held ? (hold_cnt == 16'd0) : (sched ? start : credit_ok) && overhead == 16'd0;
  assign in_ready = !rst && (!lane_idle || (!sched && desc_ok));
  wire in_fire = !rst && (lane_idle ? (sched ? desc_ok : in_valid && desc_ok) : in_valid);
  wire signed [RW-1:0] pop_s = {{(RW - 1) {1'b0}}, out_pop};
  wire signed [RW-1:0] resv_s = $signed({1'b0, resv_blocks}) + $signed({{(RW - 1) {1'b0}}, resv_part});

  always @(posedge clk) begin
    if (rst) begin
      held <= 1'b0;
      resv_pend <= 1'b0;
      room <= out_credit - 1'b1;
    end else begin
      if (dispatch && overhead != 16'd0) begin
        held <= 1'b1;
        hold_cnt <= overhead - 16'd1;
        l_iv <= d_iv;
        l_slot <= d_slot;
        l_dec <= d_dec;
        l_aad_len <= d_aad_len;
        l_text_len <= d_text_len;
        l_tag_len <= d_tag_len;
      end else if (held && hold_cnt != 16'd0) begin
        hold_cnt <= hold_cnt - 16'd1;
      end else if (held && in_fire) begin
        held <= 1'b0;
      end
      resv_pend <= dispatch;
      resv_blocks <= sched ? d_text_len[RW+2:4] : in_text_len[RW+2:4];  // fits: <= DEPTH
      resv_part <= sched ? |d_text_len[3:0] : |in_text_len[3:0];
      room <= resv_pend ? room - resv_s - 1 + pop_s : room + pop_s;
    end
  end

  // ---------------------------------------------------------------- input sequencer
  // Lengths are kept as full 16-byte blocks + tail bytes, so no adder sits between the
  // DESC beat's length ports and a register (the former longest path). s_*_full counts the
  // full blocks still to come, s_*_tail the bytes of the partial block (0: none or sent).
  reg [95:0]       s_iv;
  reg [31:0]       s_ctr;
  reg [27:0]       s_aad_full, s_text_full;
  reg [3:0]        s_aad_tail, s_text_tail;
  reg [31:0]       s_aad_len, s_text_len;
  reg [SLOT_W-1:0] s_slot;
  reg              s_a256, s_dec;
  reg [4:0]        s_tlen;
  reg [2:0]        s_gidx;    // GHASH block index in the packet, saturating at 4
  reg [1:0]        s_cls;     // GHASH block index mod 4: accumulator class

  // min(blocks, 4) of full + (tail != 0) blocks; and of the blocks after the current one
  function automatic [2:0] sat4(input [27:0] full, input part);
    sat4 = (full >= 28'd4) ? 3'd4 : {1'b0, full[1:0]} + {2'd0, part};
  endfunction
  function automatic [2:0] sat4_after(input [27:0] full, input part);
    sat4_after = (full == 28'd0) ? 3'd0 : (full >= 28'd5) ? 3'd4 : full[2:0] - 3'd1 + {2'd0, part};
  endfunction

  wire        in_aad  = (s_phase == K_AAD);
  wire [27:0] cur_full = in_aad ? s_aad_full : s_text_full;
  wire [3:0]  cur_tail = in_aad ? s_aad_tail : s_text_tail;
  wire        cur_has_full = (cur_full != 28'd0);
  wire [4:0]  beat_bytes = cur_has_full ? 5'd16 : {1'b0, cur_tail};
  wire        more_after = (cur_full > 28'd1) || (cur_has_full && cur_tail != 4'd0);
  wire        text_any = (s_text_full != 28'd0) || (s_text_tail != 4'd0);
  wire [2:0]  cur_after = sat4_after(cur_full, cur_tail != 4'd0);
  wire [3:0]  rem = (s_phase == K_END) ? 4'd0 :
                    {1'b0, cur_after} + 4'd1 +
                    (in_aad ? {1'b0, sat4(s_text_full, s_text_tail != 4'd0)} : 4'd0);

  reg [127:0] aes_in;
  reg [1:0]   next_phase;
  always @* begin
    aes_in = 128'd0;
    next_phase = K_DESC;
    case (s_phase)
      K_DESC: begin
        aes_in = {desc_iv, 32'd1};
        next_phase = (desc_aad_len != 0) ? K_AAD : (desc_text_len != 0) ? K_TEXT : K_END;
      end
      K_AAD: next_phase = more_after ? K_AAD : text_any ? K_TEXT : K_END;
      K_TEXT: begin
        aes_in = {s_iv, s_ctr};
        next_phase = more_after ? K_TEXT : K_END;
      end
      default: begin  // END: [len(A)]_64 || [len(C)]_64 in bits rides in the state chain
        aes_in = {29'd0, s_aad_len, 3'd0, 29'd0, s_text_len, 3'd0};
        next_phase = K_DESC;
      end
    endcase
  end

  wire             is_desc = (s_phase == K_DESC);
  wire [SLOT_W-1:0] cur_slot = is_desc ? desc_slot : s_slot;
  wire             cur_a256 = is_desc ? a_aes256 : s_a256;
  assign a_slot = desc_slot;
  assign rk0_slot = cur_slot;
  wire             uses_aes = (s_phase == K_DESC) || (s_phase == K_TEXT);

  always @(posedge clk) begin
    if (rst) begin
      s_phase <= K_DESC;
    end else if (in_fire) begin
      s_phase <= next_phase;
      if (is_desc) begin
        s_iv <= desc_iv;
        s_ctr <= 32'd2;
        s_aad_full <= desc_aad_len[31:4];
        s_aad_tail <= desc_aad_len[3:0];
        s_text_full <= desc_text_len[31:4];
        s_text_tail <= desc_text_len[3:0];
        s_aad_len <= desc_aad_len;
        s_text_len <= desc_text_len;
        s_slot <= desc_slot;
        s_a256 <= a_aes256;
        s_dec <= desc_dec;
        s_tlen <= desc_tag_len;
        s_gidx <= 3'd0;
        s_cls <= 2'd0;
      end else begin
        s_cls <= s_cls + 2'd1;
        if (s_gidx != 3'd4) s_gidx <= s_gidx + 3'd1;
        if (s_phase == K_AAD) begin
          if (cur_has_full) s_aad_full <= s_aad_full - 28'd1;
          else s_aad_tail <= 4'd0;
        end
        if (s_phase == K_TEXT) begin
          if (cur_has_full) s_text_full <= s_text_full - 28'd1;
          else s_text_tail <= 4'd0;
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
  assign ld_busy = busy_pipe || (s_phase != K_DESC && s_slot == ld_slot) ||
                   (sched && held && l_slot == ld_slot);
  assign use_inc = !rst && dispatch;
  assign use_inc_slot = desc_slot;
  assign use_dec = p_v[14] && p_kind[14] == K_END;
  assign use_dec_slot = p_slot[14];

  // stage 0: initial AddRoundKey
  always @(posedge clk) begin
    if (rst) p_v[0] <= 1'b0;
    else p_v[0] <= in_fire;
    p_kind[0]  <= s_phase;
    p_slot[0]  <= cur_slot;
    p_a256[0]  <= cur_a256;
    p_dec[0]   <= is_desc ? desc_dec : s_dec;
    p_bytes[0] <= (s_phase == K_AAD || s_phase == K_TEXT) ? beat_bytes : 5'd16;
    p_pow[0]   <= (rem >= 4'd3) ? 2'd3 : rem[1:0];
    p_fin[0]   <= (rem < 4'd4);
    p_first[0] <= (s_gidx < 3'd4);
    p_cls[0]   <= s_cls;
    p_tlen[0]  <= s_tlen;
    p_state[0] <= uses_aes ? (aes_in ^ rk0_data) : aes_in;
    p_data[0]  <= in_data;
  end

  // ---------------------------------------------------------------- stages 1..18
  genvar k;
  generate
    for (k = 1; k < NS; k = k + 1) begin : g_meta
      always @(posedge clk) begin
        if (rst) p_v[k] <= 1'b0;
        else p_v[k] <= p_v[k-1];
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
    for (k = 1; k <= 14; k = k + 1) begin : g_aes
      wire aes_slot = (p_kind[k-1] == K_DESC) || (p_kind[k-1] == K_TEXT);
      wire last_128 = (k == 10) && !p_a256[k-1];
      wire bypass_128 = (k > 10) && !p_a256[k-1];
      wire [1:0] mode = (!aes_slot || bypass_128) ? 2'd2 :
                        (k == 14 || last_128) ? 2'd1 : 2'd0;
      wire [127:0] round_out;
      assign rk_slot[SLOT_W*(k-1) +: SLOT_W] = p_slot[k-1];
      gcm_aes_round #(.COMPOSITE_SBOX(COMPOSITE_SBOX)) u_round (
          .state_in(p_state[k-1]), .round_key(rk_data[128*(k-1) +: 128]),
          .mode(mode), .state_out(round_out));
      always @(posedge clk) begin
        p_state[k] <= round_out;
        p_data[k]  <= p_data[k-1];
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
  assign h_slot = p_slot[14];
  assign h_pow = p_pow[14];
  wire [127:0] mul_b = h_data;

  // the multiplier works only on GHASH slots (AAD, TEXT, END): idle on DESC and empty slots
  wire mul_en = p_v[14] && (p_kind[14] != K_DESC);
  gcm_gf_mult u_mult (.clk(clk), .en(mul_en), .a(mul_a), .b(mul_b), .product(product));

  always @(posedge clk) begin
    // stage 15 data: text out, E(K,J0) for DESC, expected tag for END
    p_data[15] <= (p_kind[14] == K_TEXT) ? text_out :
                  (p_kind[14] == K_DESC) ? keystream : p_data[14];
    p_data[16] <= p_data[15];
    p_data[17] <= p_data[16];
    p_data[18] <= p_data[17];
  end

  // ---------------------------------------------------------------- stage 18 -> tag, FIFO
  reg  [127:0] s_sum;  // E(K,J0) XOR the final products seen so far
  wire [127:0] tag = s_sum ^ product;
  reg  [127:0] tag_mask;
  always @* begin
    for (b = 0; b < 16; b = b + 1) tag_mask[127-8*b -: 8] = (b < p_tlen[18]) ? 8'hff : 8'h00;
  end
  wire gh_slot = p_kind[18] != K_DESC;
  always @(posedge clk) begin
    if (p_v[18]) begin
      if (!gh_slot) s_sum <= p_data[18];
      else if (p_fin[18]) s_sum <= tag;
      if (gh_slot) acc[p_cls[18]] <= product;
    end
  end

  localparam integer FW = 128 + 5 + 3;  // data, bytes, is_tag, tag_match, drop
  wire          w_tag = (p_kind[18] == K_END);
  wire          w_match = ((tag ^ p_data[18]) & tag_mask) == 128'd0;
  wire          w_en = p_v[18] && (p_kind[18] == K_TEXT || w_tag);
  wire [FW-1:0] w_beat = {w_tag ? tag : p_data[18], p_bytes[18], w_tag, w_match,
                          w_tag && p_dec[18] && !w_match};
  wire          f_en;
  wire [FW-1:0] f_beat;
  generate
    if (FAULT_EXTRA_STAGE != 0) begin : g_fault  // test-only contract violation: +1 cycle
      reg          x_en;
      reg [FW-1:0] x_beat;
      always @(posedge clk) begin
        x_en <= !rst && w_en;
        x_beat <= w_beat;
      end
      assign f_en = x_en;
      assign f_beat = x_beat;
    end else begin : g_direct
      assign f_en = w_en;
      assign f_beat = w_beat;
    end
  endgenerate

  wire [FW-1:0] r_beat;
  gcm_out_fifo #(.DEPTH(OUT_FIFO_DEPTH), .W(FW)) u_fifo (
      .clk(clk), .rst(rst), .wr_en(f_en), .wr_data(f_beat),
      .rd_valid(out_valid), .rd_pop(out_pop), .rd_data(r_beat), .overflow(fifo_overflow));
  assign out_pop = out_valid && out_ready;
  assign out_data = r_beat[FW-1 -: 128];
  assign out_bytes = r_beat[7:3];
  assign out_is_tag = r_beat[2];
  assign out_tag_match = r_beat[1];
  assign out_drop = r_beat[0];
endmodule
