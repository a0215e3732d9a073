/* fuzz_totaltext_legacy.c — libFuzzer harness of the totaltext-legacy reader (see fuzz_format.h). */
#define FUZZ_FORMAT "totaltext-legacy"
#define FUZZ_PATH "poly_gt_img1.txt"
#include "fuzz_format.h"
