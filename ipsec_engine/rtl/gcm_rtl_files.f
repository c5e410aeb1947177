gcm_core.v
gcm_lane.v
gcm_out_fifo.v
gcm_aes_round.v
gcm_sbox16.v
gcm_sbox_tower.v
gcm_gf_mult.v
