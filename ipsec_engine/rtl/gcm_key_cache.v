// Key cache (gcm_timing.h item 6): the SLOTS key slots of gcm_key_store are a cache of SA
// contexts shared by all lanes, filled over the core's ONE fill port from SA context memory.
// Active when gcm_core's cache_en and sched_en are 1 (the core dispatches).
//
//  - SA context memory: SAS contexts of 19 words (round keys 0..14, H..H^4; AES-128 uses 0..10
//    and the H words), written by the host (cm_*); in an ASIC an SRAM. A write to an SA's
//    context invalidates its cached copy (and a fill of it under way: that fill is not made
//    valid, the next miss fetches again).
//  - Lookup: each dispatcher entry's SA against the slot tags; a hit gives its slot, a miss
//    holds the entry (the core masks its pd_valid: the entries behind it wait too, rule 2).
//  - Fill: requested in cycle f for the FIFO head (entry 0) when it misses, no fill is under
//    way (fills are serial), no key setup holds the port, and a victim exists. The victim is
//    the least recently used slot among those not in use (an empty slot first, lowest index);
//    in use = a packet of the slot dispatched and its END not yet past AES stage 14 (a count
//    per slot: +1 at dispatch, -1 when its END leaves stage 14). With every slot in use the
//    request waits. The fetch takes FETCH_LAT cycles (word 0 is written in cycle f+FETCH_LAT),
//    then one word per cycle: the last word in cycle f + gcm_key_fill_cycles() - 1, and the
//    head hits (dispatches) from cycle f + gcm_key_fill_cycles().
//  - LRU: a slot's stamp is the dispatch-order number of the last packet that used it (several
//    entries dispatched in one cycle are numbered in FIFO order), or the fill's number.
//    32-bit stamps (wrap after 2^32 dispatches: not reached in simulation; an ASIC would keep
//    an age matrix instead).
module gcm_key_cache #(
    parameter integer LANES     = 1,
    parameter integer SLOTS     = 8,
    parameter integer SLOT_W    = 3,
    parameter integer SAS       = 16,
    parameter integer SA_W      = 4,
    parameter integer FETCH_LAT = 8,  // GCM_SA_CTX_FETCH_LATENCY (>= 1)
    parameter integer UW        = $clog2(LANES * 16 + 1)  // in-use count: <= ~10 per lane
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire                    en,
    input  wire                    cm_we,
    input  wire [SA_W-1:0]         cm_sa,
    input  wire [4:0]              cm_index,  // 0..14 round keys, 16..19 H^1..H^4
    input  wire                    cm_aes256, // taken with word 0
    input  wire [127:0]            cm_data,
    input  wire [LANES*SA_W-1:0]   pd_sa,
    input  wire                    pd_head_valid,
    input  wire [LANES-1:0]        pd_take,
    output reg  [LANES-1:0]        pd_hit,
    output reg  [LANES*SLOT_W-1:0] pd_slot,
    input  wire [LANES-1:0]        use_inc,
    input  wire [LANES*SLOT_W-1:0] use_inc_slot,
    input  wire [LANES-1:0]        use_dec,
    input  wire [LANES*SLOT_W-1:0] use_dec_slot,
    input  wire                    port_free,   // no key setup on the fill port
    input  wire                    fill_ready,  // no lane reads fill_slot (always, for a victim)
    output wire                    fill_start,
    output reg                     fill_active,
    output wire                    fill_we,
    output wire [SLOT_W-1:0]       fill_slot,
    output wire [4:0]              fill_index,
    output wire                    fill_aes256,
    output wire [127:0]            fill_data,
    output wire                    fill_done
);
  reg              t_valid [0:SLOTS-1];
  reg [SA_W-1:0]   t_sa    [0:SLOTS-1];
  reg [SLOTS*32-1:0] t_stamp;  // LRU stamp of slot s at 32*s
  reg [SLOTS*UW-1:0] t_use;    // in-use count of slot s at UW*s
  reg [31:0]       use_ctr;
  reg [127:0]      ctx_mem  [0:18][0:SAS-1];  // compact index: 0..14, then H^1..H^4 at 15..18
  reg              ctx_a256 [0:SAS-1];

  always @(posedge clk) begin
    if (cm_we) begin
      ctx_mem[(cm_index <= 5'd14) ? cm_index : cm_index - 5'd1][cm_sa] <= cm_data;
      if (cm_index == 5'd0) ctx_a256[cm_sa] <= cm_aes256;
    end
  end

  // ---------------------------------------------------------------- lookup and victim
  integer k, s;
  reg              v_found, v_empty;
  reg [SLOT_W-1:0] victim;
  reg [31:0]       v_stamp;
  always @* begin
    for (k = 0; k < LANES; k = k + 1) begin
      pd_hit[k] = 1'b0;
      pd_slot[SLOT_W*k +: SLOT_W] = {SLOT_W{1'b0}};
      for (s = SLOTS - 1; s >= 0; s = s - 1)
        if (t_valid[s] && t_sa[s] == pd_sa[SA_W*k +: SA_W]) begin
          pd_hit[k] = 1'b1;
          pd_slot[SLOT_W*k +: SLOT_W] = s[SLOT_W-1:0];
        end
    end
  end
  // the victim reads registers only (its own block: not re-evaluated with the pd_* inputs)
  integer v;
  always @* begin
    v_found = 1'b0;
    v_empty = 1'b0;
    victim = {SLOT_W{1'b0}};
    v_stamp = 32'd0;
    for (v = 0; v < SLOTS; v = v + 1)
      if (t_use[UW*v +: UW] == {UW{1'b0}} && !v_empty) begin
        if (!t_valid[v]) begin
          v_found = 1'b1;
          v_empty = 1'b1;
          victim = v[SLOT_W-1:0];
        end else if (!v_found || t_stamp[32*v +: 32] < v_stamp) begin
          v_found = 1'b1;
          victim = v[SLOT_W-1:0];
          v_stamp = t_stamp[32*v +: 32];
        end
      end
  end

  // ---------------------------------------------------------------- fill sequencer
  localparam integer WAIT0I = FETCH_LAT - 1;
  localparam [7:0]   WAIT0 = WAIT0I[7:0];
  reg  [7:0]        f_wait;   // cycles left before word 0
  reg  [4:0]        f_word;   // context word being written
  reg  [SA_W-1:0]   f_sa;
  reg  [SLOT_W-1:0] f_slot;
  reg               f_a256, f_stale;
  wire [4:0] f_nrk = f_a256 ? 5'd15 : 5'd11;  // round keys 0..Nr
  wire [4:0] f_c = (f_word < f_nrk) ? f_word : f_word - f_nrk + 5'd15;
  assign fill_start = en && pd_head_valid && !pd_hit[0] && !fill_active && port_free && v_found;
  assign fill_we = fill_active && f_wait == 8'd0;
  assign fill_slot = f_slot;
  assign fill_index = (f_c <= 5'd14) ? f_c : f_c + 5'd1;
  assign fill_aes256 = f_a256;
  assign fill_data = ctx_mem[f_c][f_sa];
  assign fill_done = fill_we && fill_ready && f_word == (f_a256 ? 5'd18 : 5'd14);
  wire stale_now = f_stale || (cm_we && cm_sa == f_sa);

  // ---------------------------------------------------------------- use, stamp update
  // Next in-use counts and LRU stamps: computed in the clocked block (they feed only these
  // registers; a simulator then evaluates them once per edge, not with every input change).
  reg [SLOTS*UW-1:0] n_use;
  reg [SLOTS*32-1:0] n_stamp;
  reg [31:0]         n_ctr;
  integer m, u;
  /* verilator lint_off BLKSEQ */  // next-state temporaries of the clocked block
  always @(posedge clk) begin
    n_use = t_use;
    n_stamp = t_stamp;
    for (u = 0; u < SLOTS; u = u + 1) begin
      for (m = 0; m < LANES; m = m + 1) begin
        if (use_inc[m] && use_inc_slot[SLOT_W*m +: SLOT_W] == u[SLOT_W-1:0])
          n_use[UW*u +: UW] = n_use[UW*u +: UW] + 1'b1;
        if (use_dec[m] && use_dec_slot[SLOT_W*m +: SLOT_W] == u[SLOT_W-1:0])
          n_use[UW*u +: UW] = n_use[UW*u +: UW] - 1'b1;
      end
      if (fill_done && f_slot == u[SLOT_W-1:0]) n_stamp[32*u +: 32] = use_ctr;
    end
    n_ctr = use_ctr;
    for (m = 0; m < LANES; m = m + 1)
      if (pd_take[m]) begin  // later entries of the same slot overwrite: FIFO order
        for (u = 0; u < SLOTS; u = u + 1)
          if (pd_slot[SLOT_W*m +: SLOT_W] == u[SLOT_W-1:0]) n_stamp[32*u +: 32] = n_ctr;
        n_ctr = n_ctr + 32'd1;
      end
    if (rst) begin
      use_ctr <= 32'd0;
      t_use <= {(SLOTS * UW) {1'b0}};
      t_stamp <= {(SLOTS * 32) {1'b0}};
    end else begin
      use_ctr <= n_ctr;
      t_use <= n_use;
      t_stamp <= n_stamp;
    end
  end
  /* verilator lint_on BLKSEQ */

  always @(posedge clk) begin
    if (rst) begin
      fill_active <= 1'b0;
      for (s = 0; s < SLOTS; s = s + 1) t_valid[s] <= 1'b0;
    end else begin
      if (fill_start) begin
        fill_active <= 1'b1;
        f_wait <= WAIT0;
        f_word <= 5'd0;
        f_sa <= pd_sa[SA_W-1:0];
        f_slot <= victim;
        f_a256 <= ctx_a256[pd_sa[SA_W-1:0]];
        f_stale <= 1'b0;
      end else if (fill_active) begin
        if (f_wait != 8'd0) f_wait <= f_wait - 8'd1;
        else if (fill_ready) f_word <= f_word + 5'd1;
        if (fill_done) fill_active <= 1'b0;
        if (cm_we && cm_sa == f_sa) f_stale <= 1'b1;
      end
      for (s = 0; s < SLOTS; s = s + 1) begin
        if (fill_start && victim == s[SLOT_W-1:0]) t_valid[s] <= 1'b0;
        if (fill_done && f_slot == s[SLOT_W-1:0]) begin
          t_valid[s] <= !stale_now;
          t_sa[s] <= f_sa;
        end
        if (cm_we && t_valid[s] && t_sa[s] == cm_sa) t_valid[s] <= 1'b0;
      end
    end
  end
endmodule
