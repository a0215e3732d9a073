/* fuzz_mmocr_coco.c — libFuzzer harness of the mmocr-coco reader (see fuzz_format.h). */
#define FUZZ_FORMAT "mmocr-coco"
#define FUZZ_PATH "instances_test.json"
#include "fuzz_format.h"
