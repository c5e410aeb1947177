// Whole-core dispatcher and per-SA reorder (gcm_timing.h items 2-4), used by gcm_core when its
// run-time `sched_en` is 1.
//
// Dispatch (item 2): the engine's input FIFO shows its first LANES entries (pd_valid is a
// prefix: entry k valid implies entries 0..k-1 valid; an entry is valid from the first cycle
// at or after its last byte arrived). In one cycle entries 0, 1, ... are dispatched in FIFO
// order, each whole to the lowest-index lane that is free now (lane_free), not taken by an
// earlier entry this cycle, has output-FIFO credit for all of its output beats (item 3:
// lane_room from the lane) and, with pin_mode, is lane sa mod LANES; the first entry that
// cannot go blocks the ones behind it (head of line). A lane free now is the lane that can
// start the packet earliest, so "lowest free index" is gcm_dispatch_lane for this cycle.
//
// Reorder (item 4): each SA s counts dispatched d[s] and released r[s] packets (QW bits, mod
// 2*RMAX); at most reorder_depth (<= RMAX, run-time) may be outstanding, and an entry whose SA
// is full waits (dispatch never drops). A packet takes per-SA sequence q = d[s] at dispatch;
// its lane keeps (s, q) in a queue in dispatch order (the lane completes in order; the queue
// has OUT_FIFO_DEPTH entries, as many as the lane has output-FIFO credits, so it cannot fill).
// When a lane pops a tag beat, bit q mod RMAX of done[s] is set and, in the same cycle, r[s]
// advances over the run of completed packets from r[s] (released in per-SA dispatch order).
// r[s] is registered: a release in cycle p frees its reorder slot for dispatch from p+1.
// rel_seq shows r[s] (the released count mod 2*RMAX): the consumer attributes an increase seen
// after the edge to the cycle before it.
module gcm_sched #(
    parameter integer LANES = 1,
    parameter integer SAS   = 16,  // SA reorder contexts (one per tunnel SA in an ASIC: SRAM)
    parameter integer SA_W  = 4,
    parameter integer RMAX  = 64,  // largest reorder_depth (power of two)
    parameter integer QW    = 7,   // $clog2(RMAX) + 1
    parameter integer RW    = 12,  // lane room width (gcm_lane)
    parameter integer LW    = 1,   // lane index width, >= 1
    parameter integer QDEPTH = 1024
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    pin_mode,
    input  wire [QW-1:0]           reorder_depth,
    input  wire [LANES-1:0]        pd_valid,
    input  wire [LANES*SA_W-1:0]   pd_sa,
    input  wire [LANES*32-1:0]     pd_text_len,
    output reg  [LANES-1:0]        pd_take,
    output reg  [LANES*LW-1:0]     pd_lane,
    input  wire [LANES-1:0]        lane_free,
    input  wire [LANES*RW-1:0]     lane_room,
    input  wire [LANES-1:0]        tag_pop,
    output reg  [LANES-1:0]        start,        // to the lanes
    output reg  [LANES*LW-1:0]     start_entry,  // which pd entry lane l starts
    output wire [SAS*QW-1:0]       rel_seq,
    output wire [LANES-1:0]        q_overflow    // a bug if ever 1
);
  localparam integer RB = QW - 1;  // log2(RMAX)

  // per-SA dispatched and released counts, registers of g_sa below (flattened: SA s at QW*s)
  wire [SAS*QW-1:0] d_cnt, r_cnt;

  // ---------------------------------------------------------------- dispatch (combinational)
  reg [LANES-1:0] taken, cand;
  reg             blocked, found;
  reg [QW-1:0]    same_sa, outst;
  reg [QW-1:0]    e_seq  [0:LANES-1];
  reg [SA_W-1:0]  e_sa   [0:LANES-1];
  reg [LW-1:0]    e_lane [0:LANES-1];
  integer k, j, l;
  always @* begin
    taken = {LANES{1'b0}};
    blocked = 1'b0;
    pd_take = {LANES{1'b0}};
    pd_lane = {(LANES * LW) {1'b0}};
    start = {LANES{1'b0}};
    start_entry = {(LANES * LW) {1'b0}};
    for (k = 0; k < LANES; k = k + 1) begin
      e_sa[k] = pd_sa[SA_W*k +: SA_W];
      same_sa = {QW{1'b0}};
      for (j = 0; j < k; j = j + 1)
        if (pd_sa[SA_W*j +: SA_W] == e_sa[k]) same_sa = same_sa + 1'b1;
      e_seq[k] = d_cnt[QW*e_sa[k] +: QW] + same_sa;
      outst = e_seq[k] - r_cnt[QW*e_sa[k] +: QW];
      for (l = 0; l < LANES; l = l + 1) begin
        // credit: ceil(P/16) + 1 beats fit iff !room.sign && P <= 16 * room (gcm_lane)
        cand[l] = lane_free[l] && !taken[l] && !lane_room[RW*l + RW - 1] &&
                  ({4'b0000, pd_text_len[32*k +: 32]} <=
                   {{(32 - RW) {1'b0}}, lane_room[RW*l +: RW], 4'b0000}) &&
                  (!pin_mode || ({{(32 - SA_W) {1'b0}}, e_sa[k]} % LANES) == l);
      end
      found = 1'b0;
      e_lane[k] = {LW{1'b0}};
      for (l = LANES - 1; l >= 0; l = l - 1)
        if (cand[l]) begin
          found = 1'b1;
          e_lane[k] = l[LW-1:0];
        end
      if (!blocked && pd_valid[k] && outst < reorder_depth && found) begin
        pd_take[k] = 1'b1;
        pd_lane[LW*k +: LW] = e_lane[k];
        taken[e_lane[k]] = 1'b1;
        start[e_lane[k]] = 1'b1;
        start_entry[LW*e_lane[k] +: LW] = k[LW-1:0];
      end else begin
        blocked = 1'b1;
      end
    end
  end

  // ---------------------------------------------------------------- per-lane (sa, seq) queues
  localparam integer QE = SA_W + QW;
  wire [QE-1:0]    q_head [0:LANES-1];
  reg  [QE-1:0]    q_in   [0:LANES-1];
  reg  [LANES-1:0] q_we;
  wire [LANES-1:0] q_valid;
  always @* begin
    for (l = 0; l < LANES; l = l + 1) begin
      q_we[l] = 1'b0;
      q_in[l] = {QE{1'b0}};
      for (k = 0; k < LANES; k = k + 1)
        if (pd_take[k] && e_lane[k] == l[LW-1:0]) begin
          q_we[l] = 1'b1;
          q_in[l] = {e_sa[k], e_seq[k]};
        end
    end
  end
  genvar g;
  generate
    for (g = 0; g < LANES; g = g + 1) begin : g_q
      gcm_out_fifo #(.DEPTH(QDEPTH), .W(QE)) u_q (
          .clk(clk), .rst(rst), .wr_en(q_we[g]), .wr_data(q_in[g]),
          .rd_valid(q_valid[g]), .rd_pop(tag_pop[g]), .rd_data(q_head[g]),
          .overflow(q_overflow[g]));
    end
  endgenerate

  // ---------------------------------------------------------------- per-SA reorder state
  // The next state feeds only these registers, so it is computed in the clocked block (a
  // simulator evaluates it once per clock edge, not on every change of the pop and dispatch
  // inputs). The run of completed packets from bit r = r[s] mod RMAX is the trailing ones of
  // rot = now_done rotated right by r; those bits (rotated back left by r) are cleared. Without
  // a completion of SA s this cycle nothing is released: bit r of done[s] is always 0 (a
  // completed bit at r would have been released with its run), so the run is then 0.
  generate
    for (g = 0; g < SAS; g = g + 1) begin : g_sa
      localparam [SA_W-1:0] GS = g;
      reg [QW-1:0]     d_q, r_q;  // dispatched, released (mod 2*RMAX)
      reg [RMAX-1:0]   done;      // completed, not yet released, by sequence mod RMAX
      reg [RMAX-1:0]   now_done, rot, ones;
      reg [2*RMAX-1:0] dbl;
      reg [RMAX:0]     first0;  // one-hot: the lowest 0 of rot (bit RMAX if none)
      reg [QW-1:0]     run, add;
      reg              hit;
      integer          m, b;
      /* verilator lint_off BLKSEQ */  // next-state temporaries of the clocked block
      always @(posedge clk) begin
        now_done = done;
        hit = 1'b0;
        for (m = 0; m < LANES; m = m + 1)
          if (tag_pop[m] && q_valid[m] && q_head[m][QE-1 -: SA_W] == GS) begin
            now_done[q_head[m][RB-1:0]] = 1'b1;
            hit = 1'b1;
          end
        run = {QW{1'b0}};
        if (hit) begin
          dbl = {now_done, now_done} >> r_q[RB-1:0];
          rot = dbl[RMAX-1:0];
          ones = rot & ~(rot + 1'b1);
          first0 = {1'b0, ones} + 1'b1;
          for (b = 1; b <= RMAX; b = b + 1)
            if (first0[b]) run = run | b[QW-1:0];
          dbl = {ones, ones} << r_q[RB-1:0];
          now_done = now_done & ~dbl[2*RMAX-1:RMAX];
        end
        add = {QW{1'b0}};
        for (m = 0; m < LANES; m = m + 1)
          if (pd_take[m] && e_sa[m] == GS) add = add + 1'b1;
        if (rst) begin
          d_q <= {QW{1'b0}};
          r_q <= {QW{1'b0}};
          done <= {RMAX{1'b0}};
        end else begin
          d_q <= d_q + add;
          r_q <= r_q + run;
          done <= now_done;
        end
      end
      /* verilator lint_on BLKSEQ */
      assign d_cnt[QW*g +: QW] = d_q;
      assign r_cnt[QW*g +: QW] = r_q;
      assign rel_seq[QW*g +: QW] = r_q;
    end
  endgenerate
endmodule
