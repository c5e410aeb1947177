// Output FIFO of one lane (the elastic output stage): DEPTH entries of W bits, one write and
// one pop per cycle, first-word-fall-through (an entry written at a clock edge is on `rd_data`
// in the next cycle, as the former output register was). It never overflows and never needs
// `wr_ready`: the lane reserves room for all of a packet's output beats before its DESC
// (gcm_timing.h rule 3), so backpressure stops only new packets, never the pipeline. A write
// into a full FIFO is a lane bug; `overflow` flags it (tests watch it).
// In an ASIC the storage is a 2-port SRAM macro (DEPTH x W bits); here it is a plain array.
module gcm_out_fifo #(
    parameter integer DEPTH = 1024,
    parameter integer W     = 136
) (
    input  wire         clk,
    input  wire         rst,
    input  wire         wr_en,
    input  wire [W-1:0] wr_data,
    output wire         rd_valid,
    input  wire         rd_pop,    // only while rd_valid
    output wire [W-1:0] rd_data,
    output reg          overflow
);
  localparam integer AW = (DEPTH > 1) ? $clog2(DEPTH) : 1;
  localparam integer  LAST_I = DEPTH - 1;
  localparam integer  FULL_I = DEPTH;
  localparam [AW-1:0] LAST = LAST_I[AW-1:0];
  localparam [AW:0]   FULL = FULL_I[AW:0];

  reg [W-1:0]  mem [0:DEPTH-1];
  reg [AW-1:0] wr_ptr, rd_ptr;
  reg [AW:0]   count;

  wire pop = rd_pop && (count != 0);
  always @(posedge clk) begin
    if (wr_en) mem[wr_ptr] <= wr_data;
    if (rst) begin
      wr_ptr <= {AW{1'b0}};
      rd_ptr <= {AW{1'b0}};
      count <= {(AW + 1){1'b0}};
      overflow <= 1'b0;
    end else begin
      if (wr_en) wr_ptr <= (wr_ptr == LAST) ? {AW{1'b0}} : wr_ptr + 1'b1;
      if (pop) rd_ptr <= (rd_ptr == LAST) ? {AW{1'b0}} : rd_ptr + 1'b1;
      count <= count + {{AW{1'b0}}, wr_en} - {{AW{1'b0}}, pop};
      if (wr_en && !pop && count == FULL) overflow <= 1'b1;
    end
  end
  assign rd_valid = (count != 0);
  assign rd_data = mem[rd_ptr];
endmodule
