/*
 * Runs a fuzz target's entry point over every file of its corpus directory
 * (given as the first argument), so the corpus is a regression test in the
 * normal suite even without libFuzzer.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GError) gerr = NULL;
    const char *name;
    unsigned int n = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: %s CORPUS-DIR\n", argv[0]);
        return 2;
    }
    if (!(dir = g_dir_open(argv[1], 0, &gerr))) {
        fprintf(stderr, "cannot open corpus '%s': %s\n", argv[1], gerr->message);
        return 1;
    }
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *path = g_build_filename(argv[1], name, NULL);
        g_autofree char *data = NULL;
        gsize len = 0;

        if (!g_file_get_contents(path, &data, &len, &gerr)) {
            fprintf(stderr, "cannot read '%s': %s\n", path, gerr->message);
            return 1;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)data, len);
        n++;
    }
    if (n == 0) {
        fprintf(stderr, "corpus '%s' is empty\n", argv[1]);
        return 1;
    }
    printf("replayed %u inputs from %s\n", n, argv[1]);
    return 0;
}
