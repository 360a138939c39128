/*
 * libvirt-event.h: the event loop that delivers asynchronous events
 * (lifecycle changes, keepalive) to applications.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef LIBVIRT_EVENT_H
#define LIBVIRT_EVENT_H

#include <libvirt/libvirt-common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*virEventTimeoutCallback)(int timer, void *opaque);

/* Installs modvirt's own event loop; events registered afterwards are
 * delivered from virEventRunDefaultImpl(). */
int virEventRegisterDefaultImpl(void);
/* Runs one iteration of the default loop, blocking until something happens. */
int virEventRunDefaultImpl(void);
int virEventAddTimeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                       virFreeCallback ff);
void virEventUpdateTimeout(int timer, int frequency);
int virEventRemoveTimeout(int timer);

#ifdef __cplusplus
}
#endif

#endif /* LIBVIRT_EVENT_H */
