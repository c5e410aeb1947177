// Multi-lane AES-GCM core: LANES independent gcm_lane instances, each with its own
// ready/valid input and output (buses are LANES x width, lane l in slice l). Packets are
// packet-parallel: the dispatcher (gcm_timing.h: gcm_dispatch_lane) gives each whole packet
// to one lane; every lane completes in order. The key-store load port is broadcast, so each
// lane holds a copy of every key slot's round keys and H powers. ld_ready is low while any
// lane still has a packet reading slot ld_slot; a word is written when ld_valid && ld_ready.
// The loader must not start packets on a slot between the first and last word of its install.
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
  reg        sched_r, pin_r;
  reg [QW-1:0] reorder_r;
  always @(posedge clk) begin
    overhead_r <= rst ? 16'd0 : overhead_cycles;
    sched_r <= !rst && sched_en;
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
      .pd_valid(pd_valid & {LANES{sched_r}}), .pd_sa(pd_sa), .pd_text_len(pd_text_len),
      .pd_take(pd_take), .pd_lane(pd_lane), .lane_free(lane_free), .lane_room(lane_room),
      .tag_pop(tag_pop), .start(start), .start_entry(start_entry), .rel_seq(rel_seq),
      .q_overflow(q_overflow));

  // One fill port into the key store: the key-setup unit while it installs a key, else the
  // load port (expanded contexts, e.g. fills from SA context memory). A word is written when
  // no lane still reads its slot (ld_busy).
  wire               ks_ld_valid, ks_ld_aes256;
  wire [SLOT_W-1:0]  ks_ld_slot;
  wire [4:0]         ks_ld_index;
  wire [127:0]       ks_ld_data;
  wire               ks_active = !ks_ready && !rst;
  wire [SLOT_W-1:0]  f_slot   = ks_active ? ks_ld_slot : ld_slot;
  wire [4:0]         f_index  = ks_active ? ks_ld_index : ld_index;
  wire               f_aes256 = ks_active ? ks_ld_aes256 : ld_aes256;
  wire [127:0]       f_data   = ks_active ? ks_ld_data : ld_data;
  wire [LANES-1:0]   ld_busy;
  wire               f_ready = ~|ld_busy;
  assign ld_ready = f_ready && !ks_active;
  wire ld_we = f_ready && (ks_active ? ks_ld_valid : ld_valid);
  gcm_keysetup #(.SLOT_W(SLOT_W), .COMPOSITE_SBOX(COMPOSITE_SBOX)) u_keysetup (
      .clk(clk), .rst(rst), .ks_valid(ks_valid), .ks_ready(ks_ready), .ks_slot(ks_slot),
      .ks_aes256(ks_aes256), .ks_key(ks_key), .ld_valid(ks_ld_valid), .ld_ready(f_ready),
      .ld_slot(ks_ld_slot), .ld_index(ks_ld_index), .ld_aes256(ks_ld_aes256), .ld_data(ks_ld_data));
  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      wire [LW-1:0] e = start_entry[LW*l +: LW];  // the pd entry this lane starts
      gcm_lane #(.SLOTS(SLOTS), .SLOT_W(SLOT_W), .OUT_FIFO_DEPTH(OUT_FIFO_DEPTH), .RW(RW),
                 .COMPOSITE_SBOX(COMPOSITE_SBOX), .FAULT_EXTRA_STAGE(FAULT_EXTRA_STAGE)) u_lane (
          .clk(clk), .rst(rst), .overhead(overhead_r), .out_credit(out_fifo_credit),
          .sched(sched_r), .start(start[l]), .d_iv(pd_iv[96*e +: 96]),
          .d_slot(pd_slot[SLOT_W*e +: SLOT_W]), .d_dec(pd_decrypt[e]),
          .d_aad_len(pd_aad_len[32*e +: 32]), .d_text_len(pd_text_len[32*e +: 32]),
          .d_tag_len(pd_tag_len[5*e +: 5]), .lane_free(lane_free[l]),
          .lane_room(lane_room[RW*l +: RW]),
          .ld_we(ld_we), .ld_busy(ld_busy[l]), .ld_slot(f_slot), .ld_index(f_index),
          .ld_aes256(f_aes256), .ld_data(f_data),
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
