/* fuzz_mlt.c — libFuzzer harness of the mlt reader (see fuzz_format.h). */
#define FUZZ_FORMAT "mlt"
#define FUZZ_PATH "dir/gt_img_1.txt"
#include "fuzz_format.h"
