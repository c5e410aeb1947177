// Icarus Verilog testbench for the benchmark ratio: replays a per-cycle stimulus file written by
// rtl_bench --stim (key loads, then back-to-back packet beats on lane 0 of a 1-lane core) and
// prints cycles, output beats and the XOR of all output beats, which must equal the checksum
// rtl_bench computed from OpenSSL. Run: vvp -n tb +stim=FILE (tools/bench_rtl.sh).
module tb_gcm_bench;
  reg clk = 1'b0;
  reg rst = 1'b1;
  reg ld_valid = 1'b0;
  reg [2:0] ld_slot = 3'd0;
  reg [4:0] ld_index = 5'd0;
  reg ld_aes256 = 1'b0;
  reg [127:0] ld_data = 128'd0;
  reg in_valid = 1'b0;
  wire in_ready;
  reg [127:0] in_data = 128'd0;
  reg [2:0] in_slot = 3'd0;
  reg in_decrypt = 1'b0;
  reg [31:0] in_aad_len = 32'd0, in_text_len = 32'd0;
  reg [4:0] in_tag_len = 5'd16;
  wire out_valid, out_is_tag, out_tag_match, out_drop, out_overflow;
  wire ld_ready;  // unused: keys are loaded before any traffic (no install can meet a packet)
  wire [127:0] out_data;
  wire [4:0] out_bytes;

  gcm_core #(.LANES(1)) dut (
      .clk(clk), .rst(rst), .overhead_cycles(16'd0), .out_fifo_credit(12'd1024),
      .sched_en(1'b0), .cache_en(1'b0), .cm_we(1'b0), .cm_sa(4'd0), .cm_index(5'd0),
      .cm_aes256(1'b0), .cm_data(128'd0), .pd_cslot(), .cache_fill_start(), .cache_fill_done(),
      .cache_fill_slot(), .pin_mode(1'b0), .reorder_depth(7'd64), .pd_valid(1'b0), .pd_take(),
      .pd_lane(), .pd_sa(4'd0), .pd_iv(96'd0), .pd_slot(3'd0), .pd_decrypt(1'b0),
      .pd_aad_len(32'd0), .pd_text_len(32'd0), .pd_tag_len(5'd0), .rel_seq(), .sched_overflow(),
      .ks_valid(1'b0), .ks_ready(), .ks_slot(3'd0), .ks_aes256(1'b0), .ks_key(256'd0),
      .ld_valid(ld_valid), .ld_slot(ld_slot), .ld_index(ld_index),
      .ld_aes256(ld_aes256), .ld_data(ld_data), .ld_ready(ld_ready), .in_valid(in_valid), .in_ready(in_ready),
      .in_data(in_data), .in_slot(in_slot), .in_decrypt(in_decrypt), .in_aad_len(in_aad_len),
      .in_text_len(in_text_len), .in_tag_len(in_tag_len), .out_valid(out_valid),
      .out_ready(1'b1), .out_data(out_data), .out_bytes(out_bytes), .out_is_tag(out_is_tag),
      .out_tag_match(out_tag_match), .out_drop(out_drop), .out_overflow(out_overflow));

  always #5 clk = ~clk;

  integer cycles = 0, beats = 0, fd, n;
  reg [127:0] checksum = 128'd0;
  reg [1023:0] path;
  reg [127:0] f_ld_data, f_in_data;
  reg [31:0] f_ldv, f_ls, f_li, f_la, f_iv, f_is, f_id, f_aad, f_txt, f_tag;

  always @(posedge clk) begin
    cycles <= cycles + 1;
    if (out_valid) begin
      beats <= beats + 1;
      checksum <= checksum ^ out_data;
    end
  end

  initial begin
    if (!$value$plusargs("stim=%s", path)) begin
      $display("usage: vvp -n tb +stim=FILE");
      $finish;
    end
    fd = $fopen(path, "r");
    repeat (2) @(negedge clk);
    rst = 1'b0;
    while (!$feof(fd)) begin
      n = $fscanf(fd, "%h %h %h %h %h %h %h %h %h %h %h %h\n", f_ldv, f_ls, f_li, f_la, f_ld_data,
                  f_iv, f_in_data, f_is, f_id, f_aad, f_txt, f_tag);
      if (n == 12) begin
        ld_valid = f_ldv[0]; ld_slot = f_ls[2:0]; ld_index = f_li[4:0]; ld_aes256 = f_la[0];
        ld_data = f_ld_data; in_valid = f_iv[0]; in_data = f_in_data; in_slot = f_is[2:0];
        in_decrypt = f_id[0]; in_aad_len = f_aad; in_text_len = f_txt; in_tag_len = f_tag[4:0];
        @(negedge clk);
      end
    end
    ld_valid = 1'b0;
    in_valid = 1'b0;
    repeat (64) @(negedge clk);
    $display("icarus: cycles %0d output beats %0d checksum %032h", cycles, beats, checksum);
    $finish;
  end
endmodule
