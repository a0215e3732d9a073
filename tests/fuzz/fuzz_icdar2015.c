/* fuzz_icdar2015.c — libFuzzer harness of the icdar2015 reader (see fuzz_format.h). */
#define FUZZ_FORMAT "icdar2015"
#define FUZZ_PATH "dir/gt_img_1.txt"
#include "fuzz_format.h"
