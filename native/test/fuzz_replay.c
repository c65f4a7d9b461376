/* Runs the fuzz target on the given files: the corpus replay that `make check` does without libFuzzer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    static uint8_t input[1 << 16];
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            return EXIT_FAILURE;
        }
        size_t size = fread(input, 1, sizeof input, f);
        fclose(f);
        LLVMFuzzerTestOneInput(input, size);
    }
    printf("fuzz_replay: %d passed, 0 failed\n", argc - 1);
    return EXIT_SUCCESS;
}
