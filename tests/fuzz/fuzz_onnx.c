/* fuzz_onnx.c — libFuzzer harness for the ONNX loader and planner.
 *
 * Any byte string must load or be refused cleanly; a model that loads is described at a
 * small size and, when its activations stay small, run once. Seed it with real models:
 *   build-fuzz/fuzz_onnx -max_len=8000000 corpus_dir models/ */
#include <textloc.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tl_model *m = NULL;
	tl_error err;
	memset(&err, 0, sizeof err);
	if (tl_model_load_mem(data, size, "fuzz.onnx", &m, &err) != TL_OK)
		return 0;
	tl_model_info info;
	static float input[3 * 16 * 16];
	static float out[1 << 16];
	int od[4];
	if (tl_model_describe(m, 16, 16, &info, &err) == TL_OK &&
	    info.arena_bytes < ((unsigned long long)64 << 20) && info.macs < 50000000ull)
		tl_model_run(m, input, 16, 16, out, sizeof out / sizeof out[0], od, &err);
	tl_model_free(m);
	return 0;
}
