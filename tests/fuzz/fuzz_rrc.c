/* fuzz_rrc.c — libFuzzer harness of the rrc reader (see fuzz_format.h). */
#define FUZZ_FORMAT "rrc"
#define FUZZ_PATH "dir/res_img_1.txt"
#include "fuzz_format.h"
