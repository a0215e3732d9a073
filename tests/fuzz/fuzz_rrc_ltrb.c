/* fuzz_rrc_ltrb.c — libFuzzer harness of the rrc-ltrb reader (see fuzz_format.h). */
#define FUZZ_FORMAT "rrc-ltrb"
#define FUZZ_PATH "dir/res_img_1.txt"
#include "fuzz_format.h"
