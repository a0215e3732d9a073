/* fuzz_probe.c — libFuzzer harness of format probing: every probe sees the input,
 * and the reader of the winning format reads it (see fuzz_format.h). */
#define FUZZ_FORMAT NULL
#define FUZZ_PATH "dir/gt_img_1.txt"
#include "fuzz_format.h"
