// Multi-lane AES-GCM core: LANES independent gcm_lane instances, each with its own
// ready/valid input and output (buses are LANES x width, lane l in slice l). Packets are
// packet-parallel: the dispatcher (gcm_timing.h: gcm_dispatch_lane) gives each whole packet
// to one lane; every lane completes in order. ONE key store (gcm_key_store) holds the key
// slots for all lanes; it has one write port (the fill port: key setup, key-cache fills, the
// host's load port, in that priority). ld_ready is low while any lane still has a packet
// reading slot ld_slot, or while a key setup or a cache fill holds the port; a word is written
// when ld_valid && ld_ready. The loader must not start packets on a slot between the first and
// last word of its install.
//
// Key cache (cache_en = 1 with sched_en = 1, gcm_key_cache.v, gcm_timing.h item 6): the slots
// cache SA contexts the host wrote into SA context memory (cm_*); pd_slot is ignored, each
// entry's slot comes from the cache (pd_cslot), a miss holds the entry and those behind it,
// and the fill of the head's SA runs over the fill port (cache_fill_start in its request cycle,
// cache_fill_done in the cycle of its last word, cache_fill_slot the victim).
//
// overhead_cycles (gcm_timing.h rule 1, the engine's engine.overhead_cycles) is a run-time
// register, loaded from the port every cycle: a lane holds that many cycles between dispatching
// a packet and taking its DESC. Each lane has an output FIFO of OUT_FIFO_DEPTH beats (rule 3):
// the pipeline never stalls, out_ready only delays the next dispatch. On the tag beat,
// out_drop = 1 marks a decrypt whose tag compare failed; its text beats (already released)
// must be discarded by the consumer. out_overflow is a lane-bug flag (never 1).
//
// Two run-time dispatch modes (sched_en, a register input like overhead_cycles):
//  - sched_en = 0: per-lane interface. The host picks the lane and offers the DESC beat on
//    that lane's in_*; the lane dispatches itself when idle with credit.
//  - sched_en = 1: the core dispatches (gcm_sched.v, gcm_timing.h items 2-4). The host shows
//    the first LANES entries of the engine's input FIFO on pd_* (DESC fields + SA); pd_take
//    says which were dispatched this cycle and pd_lane to which lane; the host then streams
//    each packet's AAD, TEXT and END beats (no DESC beat) into that lane's in_*. rel_seq is
//    the per-SA released count (reorder, pin_mode, reorder_depth as in gcm_timing.h).
// out_fifo_credit (<= OUT_FIFO_DEPTH, run-time, taken at rst) is the FIFO credit D of rule 3.
module gcm_core #(
    parameter integer LANES             = 1,
    parameter integer SLOTS             = 8,
    parameter integer SLOT_W            = 3,
    parameter integer OUT_FIFO_DEPTH    = 1024,
    parameter integer COMPOSITE_SBOX    = 0,
    parameter integer FAULT_EXTRA_STAGE = 0,
    parameter integer SA_CTX_FETCH_LATENCY = 8,  // GCM_SA_CTX_FETCH_LATENCY (gcm_timing.h)
    parameter integer SAS               = 16,  // reorder contexts (SA index < SAS)
    parameter integer SA_W              = 4,
    parameter integer RMAX              = 64,  // largest reorder_depth (power of two)
    parameter integer LW                = (LANES > 1) ? $clog2(LANES) : 1,
    parameter integer QW                = $clog2(RMAX) + 1,
    parameter integer RW                = $clog2(OUT_FIFO_DEPTH + 1) + 1  // credit width
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire [15:0]             overhead_cycles,
    input  wire [RW-1:0]           out_fifo_credit,
    input  wire                    sched_en,
    input  wire                    cache_en,
    input  wire                    cm_we,      // SA context memory write (key cache)
    input  wire [SA_W-1:0]         cm_sa,
    input  wire [4:0]              cm_index,
    input  wire                    cm_aes256,
    input  wire [127:0]            cm_data,
    output wire [LANES*SLOT_W-1:0] pd_cslot,   // cache_en: the slot of each pd entry
    output wire                    cache_fill_start,
    output wire                    cache_fill_done,
    output wire [SLOT_W-1:0]       cache_fill_slot,
    input  wire                    pin_mode,
    input  wire [QW-1:0]           reorder_depth,
    input  wire [LANES-1:0]        pd_valid,
    output wire [LANES-1:0]        pd_take,
    output wire [LANES*LW-1:0]     pd_lane,
    input  wire [LANES*SA_W-1:0]   pd_sa,
    input  wire [LANES*96-1:0]     pd_iv,
    input  wire [LANES*SLOT_W-1:0] pd_slot,
    input  wire [LANES-1:0]        pd_decrypt,
    input  wire [LANES*32-1:0]     pd_aad_len,
    input  wire [LANES*32-1:0]     pd_text_len,
    input  wire [LANES*5-1:0]      pd_tag_len,
    output wire [SAS*QW-1:0]       rel_seq,
    output wire                    sched_overflow,
    input  wire                    ks_valid,   // key setup from the key alone (gcm_keysetup)
    output wire                    ks_ready,
    input  wire [SLOT_W-1:0]       ks_slot,
    input  wire                    ks_aes256,
    input  wire [255:0]            ks_key,
    input  wire                    ld_valid,
    output wire                    ld_ready,
    input  wire [SLOT_W-1:0]       ld_slot,
    input  wire [4:0]              ld_index,
    input  wire                    ld_aes256,
    input  wire [127:0]            ld_data,
    input  wire [LANES-1:0]        in_valid,
    output wire [LANES-1:0]        in_ready,
    input  wire [LANES*128-1:0]    in_data,
    input  wire [LANES*SLOT_W-1:0] in_slot,
    input  wire [LANES-1:0]        in_decrypt,
    input  wire [LANES*32-1:0]     in_aad_len,
    input  wire [LANES*32-1:0]     in_text_len,
    input  wire [LANES*5-1:0]      in_tag_len,
    output wire [LANES-1:0]        out_valid,
    input  wire [LANES-1:0]        out_ready,
    output wire [LANES*128-1:0]    out_data,
    output wire [LANES*5-1:0]      out_bytes,
    output wire [LANES-1:0]        out_is_tag,
    output wire [LANES-1:0]        out_tag_match,
    output wire [LANES-1:0]        out_drop,
    output wire [LANES-1:0]        out_overflow
);
  reg [15:0] overhead_r;
  reg        sched_r, pin_r, cache_r;
  reg [QW-1:0] reorder_r;
  always @(posedge clk) begin
    overhead_r <= rst ? 16'd0 : overhead_cycles;
    sched_r <= !rst && sched_en;
    cache_r <= !rst && sched_en && cache_en;
    pin_r <= !rst && pin_mode;
    reorder_r <= rst ? {QW{1'b0}} : reorder_depth;
  end

  wire [LANES-1:0]    lane_free, start, tag_pop, q_overflow;
  wire [LANES*RW-1:0] lane_room;
  wire [LANES*LW-1:0] start_entry;
  assign tag_pop = out_valid & out_ready & out_is_tag;
  assign sched_overflow = |q_overflow;
  gcm_sched #(.LANES(LANES), .SAS(SAS), .SA_W(SA_W), .RMAX(RMAX), .QW(QW), .RW(RW), .LW(LW),
              .QDEPTH(OUT_FIFO_DEPTH)) u_sched (
      .clk(clk), .rst(rst), .pin_mode(pin_r), .reorder_depth(reorder_r),
      .pd_valid(pd_valid & {LANES{sched_r}} & (pd_hit | {LANES{!cache_r}})), .pd_sa(pd_sa), .pd_text_len(pd_text_len),
      .pd_take(pd_take), .pd_lane(pd_lane), .lane_free(lane_free), .lane_room(lane_room),
      .tag_pop(tag_pop), .start(start), .start_entry(start_entry), .rel_seq(rel_seq),
      .q_overflow(q_overflow));

  // One fill port into the key store: the key-setup unit while it installs a key, else a
  // key-cache fill while one runs, else the host's load port. A word is written when no lane
  // still reads its slot (ld_busy). A cache fill and a key setup never overlap: a fill starts
  // only with no setup running, and a setup request waits while a fill starts or runs.
  wire               ks_ld_valid, ks_ld_aes256, ks_idle;
  wire [SLOT_W-1:0]  ks_ld_slot;
  wire [4:0]         ks_ld_index;
  wire [127:0]       ks_ld_data;
  wire               c_start, c_active, c_we, c_aes256;
  wire [SLOT_W-1:0]  c_slot;
  wire [4:0]         c_index;
  wire [127:0]       c_data;
  wire               ks_active = !ks_idle && !rst;
  wire [SLOT_W-1:0]  f_slot   = ks_active ? ks_ld_slot : c_active ? c_slot : ld_slot;
  wire [4:0]         f_index  = ks_active ? ks_ld_index : c_active ? c_index : ld_index;
  wire               f_aes256 = ks_active ? ks_ld_aes256 : c_active ? c_aes256 : ld_aes256;
  wire [127:0]       f_data   = ks_active ? ks_ld_data : c_active ? c_data : ld_data;
  wire [LANES-1:0]   ld_busy;
  wire               f_ready = ~|ld_busy;
  wire               ks_hold = c_start || c_active;
  assign ld_ready = f_ready && !ks_active && !c_active;
  assign ks_ready = ks_idle && !ks_hold;
  wire ld_we = f_ready && (ks_active ? ks_ld_valid : c_active ? c_we : ld_valid);
  gcm_keysetup #(.SLOT_W(SLOT_W), .COMPOSITE_SBOX(COMPOSITE_SBOX)) u_keysetup (
      .clk(clk), .rst(rst), .ks_valid(ks_valid && !ks_hold), .ks_ready(ks_idle), .ks_slot(ks_slot),
      .ks_aes256(ks_aes256), .ks_key(ks_key), .ld_valid(ks_ld_valid), .ld_ready(f_ready),
      .ld_slot(ks_ld_slot), .ld_index(ks_ld_index), .ld_aes256(ks_ld_aes256), .ld_data(ks_ld_data));
  // The shared key store and the key cache in front of it.
  wire [LANES*SLOT_W-1:0]    rk0_slot;
  wire [LANES*128-1:0]       rk0_data;
  wire [LANES*14*SLOT_W-1:0] rk_slot;
  wire [LANES*14*128-1:0]    rk_data;
  wire [LANES*SLOT_W-1:0]    h_slot, a_slot, inc_slot, dec_slot;
  wire [LANES*2-1:0]         h_pow;
  wire [LANES*128-1:0]       h_data;
  wire [LANES-1:0]           a_aes256, use_inc, use_dec, pd_hit;
  gcm_key_store #(.LANES(LANES), .SLOTS(SLOTS), .SLOT_W(SLOT_W)) u_keys (
      .clk(clk), .we(ld_we), .w_slot(f_slot), .w_index(f_index), .w_aes256(f_aes256),
      .w_data(f_data), .rk0_slot(rk0_slot), .rk0_data(rk0_data), .rk_slot(rk_slot), .rk_data(rk_data), .h_slot(h_slot), .h_pow(h_pow),
      .h_data(h_data), .a_slot(a_slot), .a_aes256(a_aes256));
  gcm_key_cache #(.LANES(LANES), .SLOTS(SLOTS), .SLOT_W(SLOT_W), .SAS(SAS), .SA_W(SA_W),
                  .FETCH_LAT(SA_CTX_FETCH_LATENCY)) u_cache (
      .clk(clk), .rst(rst), .en(cache_r), .cm_we(cm_we), .cm_sa(cm_sa), .cm_index(cm_index),
      .cm_aes256(cm_aes256), .cm_data(cm_data), .pd_sa(pd_sa),
      .pd_head_valid(pd_valid[0] && sched_r), .pd_take(pd_take), .pd_hit(pd_hit),
      .pd_slot(pd_cslot), .use_inc(use_inc), .use_inc_slot(inc_slot), .use_dec(use_dec),
      .use_dec_slot(dec_slot), .port_free(ks_idle), .fill_ready(f_ready),
      .fill_start(c_start), .fill_active(c_active), .fill_we(c_we), .fill_slot(c_slot),
      .fill_index(c_index), .fill_aes256(c_aes256), .fill_data(c_data),
      .fill_done(cache_fill_done));
  assign cache_fill_start = c_start;
  assign cache_fill_slot = c_slot;

  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      wire [LW-1:0] e = start_entry[LW*l +: LW];  // the pd entry this lane starts
      wire [SLOT_W-1:0] e_slot = cache_r ? pd_cslot[SLOT_W*e +: SLOT_W] : pd_slot[SLOT_W*e +: SLOT_W];
      gcm_lane #(.SLOT_W(SLOT_W), .OUT_FIFO_DEPTH(OUT_FIFO_DEPTH), .RW(RW),
                 .COMPOSITE_SBOX(COMPOSITE_SBOX), .FAULT_EXTRA_STAGE(FAULT_EXTRA_STAGE)) u_lane (
          .clk(clk), .rst(rst), .overhead(overhead_r), .out_credit(out_fifo_credit),
          .sched(sched_r), .start(start[l]), .d_iv(pd_iv[96*e +: 96]),
          .d_slot(e_slot), .d_dec(pd_decrypt[e]),
          .d_aad_len(pd_aad_len[32*e +: 32]), .d_text_len(pd_text_len[32*e +: 32]),
          .d_tag_len(pd_tag_len[5*e +: 5]), .lane_free(lane_free[l]),
          .lane_room(lane_room[RW*l +: RW]),
          .rk0_slot(rk0_slot[SLOT_W*l +: SLOT_W]), .rk0_data(rk0_data[128*l +: 128]),
          .rk_slot(rk_slot[14*SLOT_W*l +: 14*SLOT_W]), .rk_data(rk_data[14*128*l +: 14*128]),
          .h_slot(h_slot[SLOT_W*l +: SLOT_W]), .h_pow(h_pow[2*l +: 2]),
          .h_data(h_data[128*l +: 128]), .a_slot(a_slot[SLOT_W*l +: SLOT_W]),
          .a_aes256(a_aes256[l]), .ld_busy(ld_busy[l]), .ld_slot(f_slot),
          .use_inc(use_inc[l]), .use_inc_slot(inc_slot[SLOT_W*l +: SLOT_W]),
          .use_dec(use_dec[l]), .use_dec_slot(dec_slot[SLOT_W*l +: SLOT_W]),
          .in_valid(in_valid[l]), .in_ready(in_ready[l]),
          .in_data(in_data[128*l +: 128]), .in_slot(in_slot[SLOT_W*l +: SLOT_W]),
          .in_decrypt(in_decrypt[l]), .in_aad_len(in_aad_len[32*l +: 32]),
          .in_text_len(in_text_len[32*l +: 32]), .in_tag_len(in_tag_len[5*l +: 5]),
          .out_valid(out_valid[l]), .out_ready(out_ready[l]),
          .out_data(out_data[128*l +: 128]), .out_bytes(out_bytes[5*l +: 5]),
          .out_is_tag(out_is_tag[l]), .out_tag_match(out_tag_match[l]),
          .out_drop(out_drop[l]), .fifo_overflow(out_overflow[l]));
    end
  endgenerate
endmodule
