/* fuzz_icdar2013.c — libFuzzer harness of the icdar2013 reader (see fuzz_format.h). */
#define FUZZ_FORMAT "icdar2013"
#define FUZZ_PATH "dir/gt_img_1.txt"
#include "fuzz_format.h"
