/*
 * driver_files: the on-disk conventions every object driver shares.
 *
 * Persistent definitions are DIR/NAME.xml; autostart is a symlink
 * AUTOSTARTDIR/NAME.xml to the definition; autostart runs once per host
 * boot, remembered by a marker file in the driver's run directory (a tmpfs
 * that a reboot empties).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <stdbool.h>

/* DIR/NAME.xml */
char *mvDriverConfigPath(const char *dir, const char *name);

/* Whether this daemon start should autostart objects: true the first time
 * per boot (creating @runDir/autostarted), false afterwards.  @what names
 * the objects for the warning when the marker cannot be made. */
bool mvDriverAutostartOnce(const char *runDir, const char *what);

/* Calls @load(path, fileName, opaque) for every *.xml file in @dir (none
 * when @dir does not exist).  @load handles and logs its own failures. */
typedef void (*mvDriverConfigLoadFunc)(const char *path, const char *fileName, void *opaque);
void mvDriverForEachConfig(const char *dir, mvDriverConfigLoadFunc load, void *opaque);

/* Whether @fileName is NAME.xml for the object called @name (a config file
 * must be named after what it defines). */
bool mvDriverConfigNameMatches(const char *fileName, const char *name);
