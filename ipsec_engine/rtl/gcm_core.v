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
module gcm_core #(
    parameter integer LANES             = 1,
    parameter integer SLOTS             = 8,
    parameter integer SLOT_W            = 3,
    parameter integer OUT_FIFO_DEPTH    = 1024,
    parameter integer COMPOSITE_SBOX    = 0,
    parameter integer FAULT_EXTRA_STAGE = 0
) (
    input  wire                    clk,
    input  wire                    rst,
    input  wire [15:0]             overhead_cycles,
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
  always @(posedge clk) overhead_r <= rst ? 16'd0 : overhead_cycles;

  wire [LANES-1:0] ld_busy;
  assign ld_ready = ~|ld_busy;
  wire ld_we = ld_valid && ld_ready;
  genvar l;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_lane
      gcm_lane #(.SLOTS(SLOTS), .SLOT_W(SLOT_W), .OUT_FIFO_DEPTH(OUT_FIFO_DEPTH),
                 .COMPOSITE_SBOX(COMPOSITE_SBOX), .FAULT_EXTRA_STAGE(FAULT_EXTRA_STAGE)) u_lane (
          .clk(clk), .rst(rst), .overhead(overhead_r),
          .ld_we(ld_we), .ld_busy(ld_busy[l]), .ld_slot(ld_slot), .ld_index(ld_index),
          .ld_aes256(ld_aes256), .ld_data(ld_data),
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
