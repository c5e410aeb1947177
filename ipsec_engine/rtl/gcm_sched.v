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

  reg [QW-1:0]   d_cnt [0:SAS-1];
  reg [QW-1:0]   r_cnt [0:SAS-1];
  reg [RMAX-1:0] done  [0:SAS-1];

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
      e_seq[k] = d_cnt[e_sa[k]] + same_sa;
      outst = e_seq[k] - r_cnt[e_sa[k]];
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
  // Next-state logic per SA in a generate loop (flattened buses), one register block below.
  wire [SAS*RMAX-1:0] n_done;
  wire [SAS*QW-1:0]   n_run, n_add;
  generate
    for (g = 0; g < SAS; g = g + 1) begin : g_sa
      localparam [SA_W-1:0] GS = g;
      reg [RMAX-1:0]   now_done, clr;
      reg [2*RMAX-1:0] rot;
      reg [QW-1:0]     run, add;
      reg [RB-1:0]     adv;
      reg            go;
      integer        m, b;
      always @* begin
        now_done = done[g];
        for (m = 0; m < LANES; m = m + 1)
          if (tag_pop[m] && q_valid[m] && q_head[m][QE-1 -: SA_W] == GS)
            now_done[q_head[m][RB-1:0]] = 1'b1;
        // the run of completed packets from bit r mod RMAX: released this cycle
        rot = {now_done, now_done} >> r_cnt[g][RB-1:0];
        run = {QW{1'b0}};
        go = 1'b1;
        for (b = 0; b < RMAX; b = b + 1) begin
          go = go && rot[b];
          if (go) run = run + 1'b1;
        end
        clr = {RMAX{1'b0}};
        for (b = 0; b < RMAX; b = b + 1) begin
          adv = r_cnt[g][RB-1:0] + b[RB-1:0];
          if (b < run) clr[adv] = 1'b1;
        end
        add = {QW{1'b0}};
        for (m = 0; m < LANES; m = m + 1)
          if (pd_take[m] && e_sa[m] == GS) add = add + 1'b1;
      end
      assign n_done[RMAX*g +: RMAX] = now_done & ~clr;
      assign n_run[QW*g +: QW] = run;
      assign n_add[QW*g +: QW] = add;
      assign rel_seq[QW*g +: QW] = r_cnt[g];
    end
  endgenerate
  integer s;
  always @(posedge clk) begin
    for (s = 0; s < SAS; s = s + 1) begin
      if (rst) begin
        d_cnt[s] <= {QW{1'b0}};
        r_cnt[s] <= {QW{1'b0}};
        done[s] <= {RMAX{1'b0}};
      end else begin
        d_cnt[s] <= d_cnt[s] + n_add[QW*s +: QW];
        r_cnt[s] <= r_cnt[s] + n_run[QW*s +: QW];
        done[s] <= n_done[RMAX*s +: RMAX];
      end
    end
  end
endmodule
