// Icarus check of gcm_keysetup (key setup in RTL, gcm_timing.h item 5): from the key alone,
// every word the key store receives (index, value) and the cycle it is written, relative to
// the cycle the request was accepted, with ld_ready always 1. Expected words: the FIPS-197
// Appendix A.1 / A.3 round keys of the keys 000102..0f and 000102..1f, H = AES-K(0^128) from
// `openssl enc -aes-{128,256}-ecb`, H^2 = H*H, H^3, H^4 from a bitwise GF(2^128) multiply
// (SP 800-38D Algorithm 1). Cycles: round key r at 1 + r, H at Nr + 2, H^2 at Nr + 7, H^3 at
// Nr + 11, H^4 at Nr + 12 (gcm_key_install_cycles = Nr + 13). Prints "PASS: ..." or "FAIL ...".
`timescale 1ns/1ps
module tb_keysetup;
  reg clk = 0, rst = 1, v = 0, a256 = 0;
  reg [255:0] key = 0;
  wire rdy, lv, la;
  wire [2:0] ls;
  wire [4:0] li;
  wire [127:0] ld;
  integer cyc = 0, acc = 0, n = 0, bad = 0;
  reg [4:0] rel;
  reg [137:0] expect [0:33];
  gcm_keysetup u (.clk(clk), .rst(rst), .ks_valid(v), .ks_ready(rdy), .ks_slot(3'd5),
                  .ks_aes256(a256), .ks_key(key), .ld_valid(lv), .ld_ready(1'b1), .ld_slot(ls),
                  .ld_index(li), .ld_aes256(la), .ld_data(ld));
  always #5 clk = ~clk;
  always @(posedge clk) begin
    cyc <= cyc + 1;
    if (v && rdy) acc = cyc;
    if (lv) begin
      rel = cyc - acc;
      if (n > 33 || expect[n] != {rel, li, ld} || ls != 3'd5 || la != a256) begin
        $display("FAIL word %0d: cycle +%0d index %0d data %h", n, rel, li, ld);
        bad = bad + 1;
      end
      n = n + 1;
    end
  end
  initial begin
    expect[0] = {5'd1, 5'd0, 128'h000102030405060708090a0b0c0d0e0f};
    expect[1] = {5'd2, 5'd1, 128'hd6aa74fdd2af72fadaa678f1d6ab76fe};
    expect[2] = {5'd3, 5'd2, 128'hb692cf0b643dbdf1be9bc5006830b3fe};
    expect[3] = {5'd4, 5'd3, 128'hb6ff744ed2c2c9bf6c590cbf0469bf41};
    expect[4] = {5'd5, 5'd4, 128'h47f7f7bc95353e03f96c32bcfd058dfd};
    expect[5] = {5'd6, 5'd5, 128'h3caaa3e8a99f9deb50f3af57adf622aa};
    expect[6] = {5'd7, 5'd6, 128'h5e390f7df7a69296a7553dc10aa31f6b};
    expect[7] = {5'd8, 5'd7, 128'h14f9701ae35fe28c440adf4d4ea9c026};
    expect[8] = {5'd9, 5'd8, 128'h47438735a41c65b9e016baf4aebf7ad2};
    expect[9] = {5'd10, 5'd9, 128'h549932d1f08557681093ed9cbe2c974e};
    expect[10] = {5'd11, 5'd10, 128'h13111d7fe3944a17f307a78b4d2b30c5};
    expect[11] = {5'd12, 5'd16, 128'hc6a13b37878f5b826f4f8162a1c8d879};
    expect[12] = {5'd17, 5'd17, 128'h70a464963f89b8747f39dd0bf8afb53e};
    expect[13] = {5'd21, 5'd18, 128'h34fd7521b8d29d3b10e45dc5c0d4620d};
    expect[14] = {5'd22, 5'd19, 128'h73a05156763e46c44a9f6f46b22fe363};
    expect[15] = {5'd1, 5'd0, 128'h000102030405060708090a0b0c0d0e0f};
    expect[16] = {5'd2, 5'd1, 128'h101112131415161718191a1b1c1d1e1f};
    expect[17] = {5'd3, 5'd2, 128'ha573c29fa176c498a97fce93a572c09c};
    expect[18] = {5'd4, 5'd3, 128'h1651a8cd0244beda1a5da4c10640bade};
    expect[19] = {5'd5, 5'd4, 128'hae87dff00ff11b68a68ed5fb03fc1567};
    expect[20] = {5'd6, 5'd5, 128'h6de1f1486fa54f9275f8eb5373b8518d};
    expect[21] = {5'd7, 5'd6, 128'hc656827fc9a799176f294cec6cd5598b};
    expect[22] = {5'd8, 5'd7, 128'h3de23a75524775e727bf9eb45407cf39};
    expect[23] = {5'd9, 5'd8, 128'h0bdc905fc27b0948ad5245a4c1871c2f};
    expect[24] = {5'd10, 5'd9, 128'h45f5a66017b2d387300d4d33640a820a};
    expect[25] = {5'd11, 5'd10, 128'h7ccff71cbeb4fe5413e6bbf0d261a7df};
    expect[26] = {5'd12, 5'd11, 128'hf01afafee7a82979d7a5644ab3afe640};
    expect[27] = {5'd13, 5'd12, 128'h2541fe719bf500258813bbd55a721c0a};
    expect[28] = {5'd14, 5'd13, 128'h4e5a6699a9f24fe07e572baacdf8cdea};
    expect[29] = {5'd15, 5'd14, 128'h24fc79ccbf0979e9371ac23c6d68de36};
    expect[30] = {5'd16, 5'd16, 128'hf29000b62a499fd0a9f39a6add2e7780};
    expect[31] = {5'd21, 5'd17, 128'h45fad2d9766bac97c296ea45e74b9700};
    expect[32] = {5'd25, 5'd18, 128'h9e19b35ce98f7ccaad7892351143faa8};
    expect[33] = {5'd26, 5'd19, 128'hf96c583a25b78af9394dc426fe11562a};
    repeat (2) @(posedge clk);
    #1 rst = 0;
    key = {128'h000102030405060708090a0b0c0d0e0f, 128'h0};
    v = 1;
    @(posedge clk);
    #1 v = 0;
    repeat (40) @(posedge clk);
    #1 a256 = 1;
    key = 256'h000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;
    v = 1;
    @(posedge clk);
    #1 v = 0;
    repeat (40) @(posedge clk);
    if (bad == 0 && n == 34) $display("PASS: 34 key-store words (AES-128 and AES-256) at their cycles");
    else $display("FAIL: %0d words, %0d wrong", n, bad);
    $finish;
  end
endmodule
