/*
 * Unit tests of drivers/conf/domain_restricted: the restricted profile for
 * third-party (VM archive) domains.  Data in tests/data/domain/restricted:
 *   NAME.xml + NAME.txt  a document and every violation it must produce,
 *                        one message per line, with host files allowed in
 *                        /srv/archive only; the first line is also the
 *                        message mvDomainDefCheckRestricted reports.
 *   ok-NAME.xml          archive-style documents that comply.
 * Plus path normalisation cases ('..', prefixes, relative paths, allowed
 * directory spellings) and symbolic-link escapes built in a temporary
 * directory.
 *
 * MODVIRT_TEST_REGENERATE=1 rewrites the .txt files from our output.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "domain_conf.h"
#include "domain_restricted.h"
#include "mv_error.h"
#include "mv_file.h"

static const char * const archiveDirs[] = { "/srv/archive", NULL };

static char *
dataPath(const char *name)
{
    return g_build_filename(MV_TEST_DATADIR, name, NULL);
}

static char *
readData(const char *name)
{
    g_autofree char *path = dataPath(name);
    char *data = NULL;

    if (mvFileReadAll(path, 1 << 20, &data, NULL) < 0)
        g_error("cannot read %s: %s", path, mvErrorGetLast()->message);
    return data;
}

static mvDomainDef *
parseData(const char *name)
{
    g_autofree char *xml = readData(name);
    mvDomainDef *def;

    mvErrorReset();
    /* with the schema too: every document here is valid, only restricted */
    if (!(def = mvDomainDefParse(xml, MV_DOMAIN_DEF_PARSE_VALIDATE)))
        g_error("%s: %s", name, mvErrorGetLast()->message);
    return def;
}

static char *
joinLines(GPtrArray *lines)
{
    GString *s = g_string_new("");
    guint i;

    for (i = 0; i < lines->len; i++)
        g_string_append_printf(s, "%s\n", (const char *)g_ptr_array_index(lines, i));
    return g_string_free(s, FALSE);
}

/* Checks the reported error of a refused check against @message. */
static void
assertRefused(int rc, const char *message)
{
    virErrorPtr err = mvErrorGetLast();
    g_autofree char *want = g_strdup_printf("unsupported configuration: %s", message);

    g_assert_cmpint(rc, ==, -1);
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, VIR_ERR_CONFIG_UNSUPPORTED);
    g_assert_cmpint(err->domain, ==, VIR_FROM_DOMAIN);
    g_assert_cmpstr(err->message, ==, want);
}

static void
testData(gconstpointer opaque)
{
    const char *name = opaque;
    g_autoptr(mvDomainDef) def = parseData(name);
    g_autoptr(GPtrArray) found = mvDomainDefListRestrictedViolations(def, archiveDirs);
    g_autofree char *got = joinLines(found);
    g_autofree char *base = g_strndup(name, strlen(name) - strlen(".xml"));
    g_autofree char *txtName = g_strdup_printf("%s.txt", base);
    g_autofree char *expected = NULL;
    int rc;

    if (g_str_has_prefix(name, "ok-")) {
        g_assert_cmpstr(got, ==, "");
        mvErrorReset();
        g_assert_cmpint(mvDomainDefCheckRestricted(def, archiveDirs), ==, 0);
        g_assert_false(mvErrorIsSet());
        return;
    }
    if (g_getenv("MODVIRT_TEST_REGENERATE")) {
        g_autofree char *path = dataPath(txtName);

        g_assert_cmpint(mvFileWriteAtomic(path, got, strlen(got), 0644), ==, 0);
    }
    expected = readData(txtName);
    g_assert_cmpstr(got, ==, expected);
    g_assert_cmpuint(found->len, >, 0);
    mvErrorReset();
    rc = mvDomainDefCheckRestricted(def, archiveDirs);
    assertRefused(rc, g_ptr_array_index(found, 0));
}

/* Every file in the directory belongs to a case. */
static void
testDataAllUsed(void)
{
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = g_dir_open(dirPath, 0, NULL);
    const char *name;

    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        g_autofree char *xml = NULL;
        bool used = false;

        if (g_str_has_suffix(name, ".xml")) {
            g_autofree char *base = g_strndup(name, strlen(name) - strlen(".xml"));
            g_autofree char *txt = g_strdup_printf("%s/%s.txt", dirPath, base);

            used = g_str_has_prefix(name, "ok-") != g_file_test(txt, G_FILE_TEST_EXISTS);
        } else if (g_str_has_suffix(name, ".txt")) {
            xml = g_strdup_printf("%s/%.*s.xml", dirPath, (int)(strlen(name) - 4), name);
            used = g_file_test(xml, G_FILE_TEST_EXISTS);
        }
        if (!used)
            g_error("data file %s is not used by any case (a NAME.xml needs NAME.txt, "
                    "an ok-NAME.xml none)", name);
    }
}

/* A definition with one file disk whose source is @path. */
static mvDomainDef *
diskDomain(const char *path)
{
    g_autofree char *esc = g_markup_escape_text(path, -1);
    g_autofree char *xml = g_strdup_printf(
        "<domain type='kvm'><name>t</name><memory>1024</memory>"
        "<os><type>hvm</type></os><devices><disk type='file'>"
        "<source file='%s'/><target dev='vda'/></disk></devices></domain>", esc);
    mvDomainDef *def;

    mvErrorReset();
    if (!(def = mvDomainDefParse(xml, 0)))
        g_error("%s: %s", path, mvErrorGetLast()->message);
    return def;
}

typedef struct {
    const char *path;
    const char *dirs;           /* ':'-separated, NULL for none */
    const char *message;        /* NULL: complies */
} pathCase;

static const pathCase pathCases[] = {
    { "/srv/archive/disk.img", "/srv/archive", NULL },
    { "/srv/archive/a/b/c.img", "/srv/archive", NULL },
    { "/srv//archive/./disk.img", "/srv/archive", NULL },
    { "/srv/archive/x/../disk.img", "/srv/archive", NULL },
    { "/../srv/archive/disk.img", "/srv/archive", NULL },      /* '..' stops at / */
    { "/srv/archive/disk.img", "/srv/archive/", NULL },
    { "/srv/archive/disk.img", "/srv/./archive//", NULL },
    { "/srv/archive/disk.img", "/other:/srv/archive", NULL },
    { "/srv/archive/disk.img", "/", NULL },
    { "/etc/shadow", "/srv/archive",
      "<disk> source '/etc/shadow' (target vda) is outside the allowed directories "
      "'/srv/archive'" },
    { "/etc/shadow", "/srv/a:/srv/b",
      "<disk> source '/etc/shadow' (target vda) is outside the allowed directories "
      "'/srv/a', '/srv/b'" },
    { "/srv/archive/disk.img", NULL,
      "<disk> source '/srv/archive/disk.img' (target vda) is outside the allowed "
      "directories (none given)" },
    { "/srv/archive/disk.img", "relative/dir",
      "<disk> source '/srv/archive/disk.img' (target vda) is outside the allowed "
      "directories (none given)" },
    /* the directory itself is not a file inside it */
    { "/srv/archive", "/srv/archive",
      "<disk> source '/srv/archive' (target vda) is outside the allowed directories "
      "'/srv/archive'" },
    { "/srv/archive/", "/srv/archive",
      "<disk> source '/srv/archive/' (target vda) resolves to '/srv/archive', outside "
      "the allowed directories '/srv/archive'" },
    { "/srv/archive/..", "/srv/archive",
      "<disk> source '/srv/archive/..' (target vda) resolves to '/srv', outside the "
      "allowed directories '/srv/archive'" },
    { "/srv/archive/../../../../etc/passwd", "/srv/archive",
      "<disk> source '/srv/archive/../../../../etc/passwd' (target vda) resolves to "
      "'/etc/passwd', outside the allowed directories '/srv/archive'" },
    { "/srv/archive/sub/../../archive2/x.img", "/srv/archive",
      "<disk> source '/srv/archive/sub/../../archive2/x.img' (target vda) resolves to "
      "'/srv/archive2/x.img', outside the allowed directories '/srv/archive'" },
    { "/srv/archived/x.img", "/srv/archive",
      "<disk> source '/srv/archived/x.img' (target vda) is outside the allowed "
      "directories '/srv/archive'" },
    { "disk.img", "/srv/archive",
      "<disk> source 'disk.img' (target vda) is a relative path: host files must be "
      "absolute paths inside the allowed directories '/srv/archive'" },
    { "./srv/archive/disk.img", "/",
      "<disk> source './srv/archive/disk.img' (target vda) is a relative path: host "
      "files must be absolute paths inside the allowed directories '/'" },
    { "../archive/disk.img", "/srv/archive",
      "<disk> source '../archive/disk.img' (target vda) is a relative path: host files "
      "must be absolute paths inside the allowed directories '/srv/archive'" },
};

static void
testPaths(void)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(pathCases); i++) {
        const pathCase *c = &pathCases[i];
        g_autoptr(mvDomainDef) def = diskDomain(c->path);
        g_auto(GStrv) dirs = c->dirs ? g_strsplit(c->dirs, ":", -1) : NULL;
        g_autoptr(GPtrArray) found = NULL;
        int rc;

        g_test_message("path '%s' dirs '%s'", c->path, c->dirs ? c->dirs : "(none)");
        mvErrorReset();
        rc = mvDomainDefCheckRestricted(def, (const char * const *)dirs);
        found = mvDomainDefListRestrictedViolations(def, (const char * const *)dirs);
        if (!c->message) {
            g_assert_cmpint(rc, ==, 0);
            g_assert_false(mvErrorIsSet());
            g_assert_cmpuint(found->len, ==, 0);
            continue;
        }
        g_assert_cmpuint(found->len, ==, 1);
        g_assert_true(g_str_has_prefix(g_ptr_array_index(found, 0), "restricted profile: "));
        g_assert_cmpstr((const char *)g_ptr_array_index(found, 0) + strlen("restricted profile: "),
                        ==, c->message);
        assertRefused(rc, g_ptr_array_index(found, 0));
    }
}

static void
makeLink(const char *target, const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (symlink(target, path) < 0)
        g_error("symlink %s: %s", path, g_strerror(errno));
}

static void
makeFile(const char *dir, const char *name)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    g_assert_true(g_file_set_contents(path, "x", 1, NULL));
}

/* Checks the disk source @path against @allowed; @what is the expected
 * problem after "<disk> source 'PATH' (target vda) ", NULL to comply. */
static void
checkLink(const char *path, const char *allowed, const char *what)
{
    g_autoptr(mvDomainDef) def = diskDomain(path);
    const char * const dirs[] = { allowed, NULL };
    g_autoptr(GPtrArray) found = mvDomainDefListRestrictedViolations(def, dirs);
    g_autofree char *want = NULL;

    g_test_message("path '%s' allowed '%s'", path, allowed);
    if (!what) {
        g_assert_cmpuint(found->len, ==, 0);
        return;
    }
    want = g_strdup_printf("restricted profile: <disk> source '%s' (target vda) %s", path, what);
    g_assert_cmpuint(found->len, ==, 1);
    g_assert_cmpstr(g_ptr_array_index(found, 0), ==, want);
    mvErrorReset();
    assertRefused(mvDomainDefCheckRestricted(def, dirs), want);
}

static void
testSymlinks(void)
{
    g_autoptr(GError) gerr = NULL;
    g_autofree char *tmpRaw = g_dir_make_tmp("mv-restricted-XXXXXX", &gerr);
    g_autofree char *tmp = NULL;
    g_autofree char *archive = NULL;
    g_autofree char *outside = NULL;
    g_autofree char *alias = NULL;
    g_autofree char *p = NULL;
    g_autofree char *want = NULL;
    char *real;

    g_assert_nonnull(tmpRaw);
    /* the temporary directory may itself sit behind a link (/tmp) */
    real = realpath(tmpRaw, NULL);
    g_assert_nonnull(real);
    tmp = g_strdup(real);
    free(real);
    archive = g_build_filename(tmp, "archive", NULL);
    outside = g_build_filename(tmp, "outside", NULL);
    alias = g_build_filename(tmp, "alias", NULL);
    g_assert_cmpint(g_mkdir(archive, 0700), ==, 0);
    g_assert_cmpint(g_mkdir(outside, 0700), ==, 0);
    makeFile(archive, "disk.img");
    makeFile(outside, "secret");
    makeLink("../outside/secret", archive, "rel-escape");
    makeLink("/etc/passwd", archive, "abs-escape");
    makeLink("disk.img", archive, "inside-link");
    makeLink(outside, archive, "dirlink");
    makeLink("nowhere", archive, "dangling");
    makeLink("loop", archive, "loop");
    makeLink(archive, tmp, "alias");

    /* plain files and a link that stays inside */
    p = g_build_filename(archive, "disk.img", NULL);
    checkLink(p, archive, NULL);
    g_clear_pointer(&p, g_free);
    p = g_build_filename(archive, "inside-link", NULL);
    checkLink(p, archive, NULL);
    g_clear_pointer(&p, g_free);
    /* a file that does not exist yet (an nvram to be created) */
    p = g_build_filename(archive, "new", "nvram.fd", NULL);
    checkLink(p, archive, NULL);
    g_clear_pointer(&p, g_free);

    /* links out of the archive, relative and absolute */
    p = g_build_filename(archive, "rel-escape", NULL);
    want = g_strdup_printf("resolves through a symbolic link to '%s/secret', outside the "
                           "allowed directories '%s'", outside, archive);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);
    p = g_build_filename(archive, "abs-escape", NULL);
    want = g_strdup_printf("resolves through a symbolic link to '/etc/passwd', outside the "
                           "allowed directories '%s'", archive);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);
    /* a linked directory, with a file under it that does not exist yet */
    p = g_build_filename(archive, "dirlink", "new.img", NULL);
    want = g_strdup_printf("resolves through a symbolic link to '%s/new.img', outside the "
                           "allowed directories '%s'", outside, archive);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);
    /* '..' after a linked directory goes where the kernel goes: the
     * parent of the link's target, not the archive */
    p = g_build_filename(archive, "dirlink", "..", "disk.img", NULL);
    want = g_strdup_printf("resolves through a symbolic link to '%s/disk.img', outside the "
                           "allowed directories '%s'", tmp, archive);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);
    p = g_build_filename(archive, "new", "..", "disk.img", NULL);
    checkLink(p, archive, NULL);
    g_clear_pointer(&p, g_free);
    /* links that cannot be resolved: QEMU could create the target */
    p = g_build_filename(archive, "dangling", NULL);
    want = g_strdup_printf("goes through a symbolic link that cannot be resolved: host "
                           "files must resolve inside the allowed directories '%s'", archive);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    p = g_build_filename(archive, "loop", "x.img", NULL);
    checkLink(p, archive, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);

    /* the allowed directory given through a link, and the files through it */
    p = g_build_filename(alias, "disk.img", NULL);
    checkLink(p, alias, NULL);
    g_clear_pointer(&p, g_free);
    p = g_build_filename(alias, "rel-escape", NULL);
    want = g_strdup_printf("resolves through a symbolic link to '%s/secret', outside the "
                           "allowed directories '%s'", outside, alias);
    checkLink(p, alias, want);
    g_clear_pointer(&p, g_free);
    g_clear_pointer(&want, g_free);

    {
        const char *names[] = { "archive/disk.img", "archive/rel-escape", "archive/abs-escape",
                                "archive/inside-link", "archive/dirlink", "archive/dangling",
                                "archive/loop", "outside/secret", "alias", "archive",
                                "outside" };
        size_t i;

        for (i = 0; i < G_N_ELEMENTS(names); i++) {
            g_autofree char *path = g_build_filename(tmp, names[i], NULL);

            g_assert_cmpint(g_remove(path), ==, 0);
        }
        g_assert_cmpint(g_rmdir(tmp), ==, 0);
    }
}

/* <seclabel>: built here rather than in data files, parsed by the model
 * alone (the shared schema learns seclabels separately). */
static void
testSecLabels(void)
{
    static const struct {
        const char *labels;
        const char *message;        /* NULL: complies */
    } cases[] = {
        { "<seclabel type='dynamic' model='selinux' relabel='yes'/>", NULL },
        { "<seclabel type='dynamic' model='dac'/>", NULL },
        { "<seclabel type='none'/>",
          "<seclabel type='none'> is refused: the guest must run confined by the host's "
          "security drivers" },
        { "<seclabel type='dynamic' model='none'/>",
          "<seclabel type='none' model='none'> is refused: the guest must run confined by "
          "the host's security drivers" },
        { "<seclabel type='static' model='dac' relabel='no'><label>+0:+0</label></seclabel>",
          "<seclabel type='static' model='dac' relabel='no'> label '+0:+0' is refused: the "
          "security label is the host's choice, not the document's" },
        { "<seclabel type='dynamic' model='dac'/>"
          "<seclabel type='static' model='selinux' relabel='yes'>"
          "<label>system_u:system_r:unconfined_t:s0</label></seclabel>",
          "<seclabel type='static' model='selinux'> label "
          "'system_u:system_r:unconfined_t:s0' is refused: the security label is the "
          "host's choice, not the document's" },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *xml = g_strdup_printf(
            "<domain type='kvm'><name>t</name><memory>1024</memory>"
            "<os><type>hvm</type></os>%s</domain>", cases[i].labels);
        g_autoptr(mvDomainDef) def = NULL;
        g_autoptr(GPtrArray) found = NULL;
        g_autofree char *want = NULL;

        g_test_message("%s", cases[i].labels);
        mvErrorReset();
        if (!(def = mvDomainDefParse(xml, 0)))
            g_error("%s: %s", cases[i].labels, mvErrorGetLast()->message);
        found = mvDomainDefListRestrictedViolations(def, archiveDirs);
        if (!cases[i].message) {
            g_assert_cmpuint(found->len, ==, 0);
            g_assert_cmpint(mvDomainDefCheckRestricted(def, archiveDirs), ==, 0);
            continue;
        }
        want = g_strdup_printf("restricted profile: %s", cases[i].message);
        g_assert_cmpuint(found->len, ==, 1);
        g_assert_cmpstr(g_ptr_array_index(found, 0), ==, want);
        assertRefused(mvDomainDefCheckRestricted(def, archiveDirs), want);
    }
}

/* Rules beyond host files, on one document with several violations, and
 * the flag value. */
static void
testFirstOfMany(void)
{
    g_autoptr(mvDomainDef) def = parseData("os-kernel.xml");
    g_autoptr(GPtrArray) found = mvDomainDefListRestrictedViolations(def, archiveDirs);

    g_assert_cmpuint(found->len, ==, 2);
    mvErrorReset();
    assertRefused(mvDomainDefCheckRestricted(def, archiveDirs), g_ptr_array_index(found, 0));
    g_assert_nonnull(strstr(g_ptr_array_index(found, 0), "<kernel>"));
    g_assert_nonnull(strstr(g_ptr_array_index(found, 1), "<dtb>"));

    /* libvirt's VIR_DOMAIN_DEFINE_VALIDATE is 1 << 0 */
    g_assert_cmpuint(MV_DOMAIN_DEFINE_RESTRICTED & 1, ==, 0);
    g_assert_cmpuint(MV_DOMAIN_DEFINE_RESTRICTED, ==, 1U << 30);
}

static gint
compareNames(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char * const *)a, *(const char * const *)b);
}

int
main(int argc, char **argv)
{
    g_autofree char *dirPath = dataPath("");
    g_autoptr(GDir) dir = NULL;
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;
    guint i;

    g_test_init(&argc, &argv, NULL);
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    dir = g_dir_open(dirPath, 0, NULL);
    g_assert_nonnull(dir);
    while ((name = g_dir_read_name(dir))) {
        if (g_str_has_suffix(name, ".xml"))
            g_ptr_array_add(names, g_strdup(name));
    }
    g_ptr_array_sort(names, compareNames);
    for (i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        g_autofree char *path = g_strdup_printf("/conf/domain/restricted/data/%s", n);

        g_test_add_data_func(path, n, testData);
    }
    g_test_add_func("/conf/domain/restricted/data-all-used", testDataAllUsed);
    g_test_add_func("/conf/domain/restricted/paths", testPaths);
    g_test_add_func("/conf/domain/restricted/symlinks", testSymlinks);
    g_test_add_func("/conf/domain/restricted/first-of-many", testFirstOfMany);
    g_test_add_func("/conf/domain/restricted/seclabels", testSecLabels);
    return g_test_run();
}
