// The key store: ONE copy of the key slots, shared by all lanes (gcm_timing.h item 6; before
// issue 12 each lane held its own copy, 19 x 8 x 128 flip-flops per lane). A slot holds round
// keys 0..14 (AES-128 uses 0..10) and H, H^2, H^3, H^4. One write port (the core's fill port:
// key setup, SA-context fills or the host's load port); read ports per lane: round key k of
// the slot in AES stage k (k = 0..14), H^(pow+1) of the slot entering the multiplier, and the
// key-size flag of the slot on a DESC beat.
// In an ASIC the 15 round-key columns are 15 small register files (one read port per lane
// each); the read address of column k is the slot carried in pipeline stage k.
module gcm_key_store #(
    parameter integer LANES  = 1,
    parameter integer SLOTS  = 8,
    parameter integer SLOT_W = 3
) (
    input  wire                       clk,
    input  wire                       we,
    input  wire [SLOT_W-1:0]          w_slot,
    input  wire [4:0]                 w_index,   // 0..14 round keys, 16..19 H^1..H^4
    input  wire                       w_aes256,  // taken with word 0
    input  wire [127:0]               w_data,
    input  wire [LANES*SLOT_W-1:0]    rk0_slot,  // lane l, stage 0 (its own bus: it depends on
    output wire [LANES*128-1:0]       rk0_data,  // the DESC inputs, stages 1..14 on registers)
    input  wire [LANES*14*SLOT_W-1:0] rk_slot,   // lane l, stage k: bits SLOT_W*(14l+k-1)
    output wire [LANES*14*128-1:0]    rk_data,
    input  wire [LANES*SLOT_W-1:0]    h_slot,
    input  wire [LANES*2-1:0]         h_pow,
    output wire [LANES*128-1:0]       h_data,
    input  wire [LANES*SLOT_W-1:0]    a_slot,
    output wire [LANES-1:0]           a_aes256
);
  reg         slot_a256 [0:SLOTS-1];
  reg [127:0] rk_mem    [0:14][0:SLOTS-1];
  reg [127:0] h_mem     [0:3][0:SLOTS-1];
  always @(posedge clk) begin
    if (we) begin
      if (w_index <= 5'd14) rk_mem[w_index[3:0]][w_slot] <= w_data;
      if (w_index >= 5'd16 && w_index <= 5'd19) h_mem[w_index[1:0]][w_slot] <= w_data;
      if (w_index == 5'd0) slot_a256[w_slot] <= w_aes256;
    end
  end

  genvar l, k;
  generate
    for (l = 0; l < LANES; l = l + 1) begin : g_rd
      assign rk0_data[128*l +: 128] = rk_mem[0][rk0_slot[SLOT_W*l +: SLOT_W]];
      for (k = 1; k < 15; k = k + 1) begin : g_rk
        assign rk_data[128*(14*l+k-1) +: 128] = rk_mem[k][rk_slot[SLOT_W*(14*l+k-1) +: SLOT_W]];
      end
      assign h_data[128*l +: 128] = h_mem[h_pow[2*l +: 2]][h_slot[SLOT_W*l +: SLOT_W]];
      assign a_aes256[l] = slot_a256[a_slot[SLOT_W*l +: SLOT_W]];
    end
  endgenerate
endmodule
