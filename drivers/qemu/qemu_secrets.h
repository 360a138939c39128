/*
 * qemu_secrets: the passphrases of a guest's encrypted disks, fetched from
 * the secret driver (virtsecretd) over RPC at start and handed to QEMU in
 * files that live only until QEMU has read them.
 *
 * The QEMU driver keeps no secrets of its own (DESIGN 2.3): when a guest
 * with a LUKS disk starts, one connection to virtsecretd is opened, each
 * disk's secret is looked up by the UUID its <encryption> names, and its
 * value is written base64-encoded to the file the command line points the
 * disk's "secret" object at (mvQemuDiskSecretPath).  A guest without
 * encrypted disks never talks to virtsecretd, so with that daemon down only
 * the starts that need it fail.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "domain_conf.h"

/* Writes the secret file of every encrypted disk of @live (aliases already
 * assigned) into @dir (which exists, mode 0700), fetching the values from
 * the secret driver at @secretURI (e.g. "secret:///session?socket=...").
 * On success *@files is NULL when no disk is encrypted, else the array of
 * the paths written (char*, owned), for qemuSecretsCleanup.  On failure
 * returns -1 with the error reported (naming the domain and the disk) and
 * nothing left on disk. */
int qemuSecretsPrepare(const mvDomainDef *live, const char *secretURI, const char *dir,
                       GPtrArray **files);

/* Removes every file of @files (NULL is fine) and frees the array.  Called
 * once QEMU has read them (its monitor answered) and when a start fails. */
void qemuSecretsCleanup(GPtrArray *files);
