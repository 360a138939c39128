/*
 * Unit tests of drivers/secret: the driver is registered and initialised
 * with temporary config and state dirs and driven in-process through the
 * public API (secret:///session is claimed by the local driver, no daemon).
 * Every failure path checks the error code and message clients would see;
 * the texts are those Debian's libvirtd 9.0 gives for the same calls.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mv_config.h"

#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client_driver.h"
#include "mv_error.h"
#include "mv_file.h"
#include "secret_driver.h"

#define U_VOL "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e01"
#define U_CEPH "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e02"
#define U_ISCSI "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8e03"
#define U_MISSING "0a7d64a5-3c0b-4a4e-9a53-6d1c2f6b8eff"

static const char *xmlVol =
    "<secret ephemeral='no' private='no'>\n"
    "  <uuid>" U_VOL "</uuid>\n"
    "  <description>passphrase of the data disk</description>\n"
    "  <usage type='volume'>\n"
    "    <volume>/var/lib/libvirt/images/data.qcow2</volume>\n"
    "  </usage>\n"
    "</secret>\n";
static const char *xmlCeph =
    "<secret ephemeral='no' private='yes'>\n"
    "  <uuid>" U_CEPH "</uuid>\n"
    "  <usage type='ceph'>\n"
    "    <name>client.admin secret</name>\n"
    "  </usage>\n"
    "</secret>\n";
static const char *xmlIscsi =
    "<secret ephemeral='yes' private='no'>\n"
    "  <uuid>" U_ISCSI "</uuid>\n"
    "  <usage type='iscsi'>\n"
    "    <target>libvirtiscsi</target>\n"
    "  </usage>\n"
    "</secret>\n";

static const char *plaintext = "correct horse battery staple";

typedef struct {
    char *root;
    char *configDir;
    char *stateDir;
    virConnectPtr conn;
} Fixture;

static void
driverStart(const char *configDir, const char *stateDir)
{
    mvDriverStateConfig cfg = {
        .privileged = false,
        .configDir = configDir,
        .stateDir = stateDir,
        .runDir = stateDir,
        .cacheDir = stateDir,
        .logDir = stateDir,
    };

    g_assert_cmpint(secretStateDriver.initialize(&cfg), ==, 0);
}

static void
fixtureSetUp(Fixture *f, gconstpointer data)
{
    f->root = g_dir_make_tmp("mv-secret-XXXXXX", NULL);
    g_assert_nonnull(f->root);
    f->configDir = g_build_filename(f->root, "config", NULL);
    f->stateDir = g_build_filename(f->root, "state", NULL);
    driverStart(f->configDir, f->stateDir);
    f->conn = virConnectOpen("secret:///session");
    g_assert_nonnull(f->conn);
}

static void
removeTree(const char *path)
{
    g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
    const char *name;

    if (dir) {
        while ((name = g_dir_read_name(dir))) {
            g_autofree char *child = g_build_filename(path, name, NULL);

            removeTree(child);
        }
        rmdir(path);
    } else {
        unlink(path);
    }
}

static void
fixtureTearDown(Fixture *f, gconstpointer data)
{
    if (f->conn)
        virConnectClose(f->conn);
    secretStateDriver.cleanup();
    removeTree(f->root);
    g_free(f->root);
    g_free(f->configDir);
    g_free(f->stateDir);
}

/* Asserts the last error's code and exact message. */
#define assertError(code_, msg_) \
    do { \
        virErrorPtr e_ = virGetLastError(); \
        g_assert_nonnull(e_); \
        g_assert_cmpstr(e_->message, ==, msg_); \
        g_assert_cmpint(e_->code, ==, code_); \
    } while (0)

#define assertErrorContains(code_, sub_) \
    do { \
        virErrorPtr e_ = virGetLastError(); \
        g_assert_nonnull(e_); \
        if (!strstr(e_->message, sub_)) \
            g_error("message '%s' lacks '%s'", e_->message, sub_); \
        g_assert_cmpint(e_->code, ==, code_); \
    } while (0)

static virSecretPtr
define(Fixture *f, const char *xml)
{
    virSecretPtr s = virSecretDefineXML(f->conn, xml, 0);

    if (!s)
        g_error("define failed: %s", virGetLastErrorMessage());
    return s;
}

static char *
configFile(Fixture *f, const char *uuid, const char *suffix)
{
    g_autofree char *name = g_strdup_printf("%s%s", uuid, suffix);

    return g_build_filename(f->configDir, "secrets", name, NULL);
}

static void
testConnect(Fixture *f, gconstpointer data)
{
    unsigned long ver = 0;
    g_autofree char *uri = virConnectGetURI(f->conn);
    virConnectPtr bad;

    g_assert_cmpstr(virConnectGetType(f->conn), ==, "secret");
    g_assert_cmpstr(uri, ==, "secret:///session");
    g_assert_cmpint(virConnectGetLibVersion(f->conn, &ver), ==, 0);
    g_assert_cmpuint(ver, ==, 9000000);
    g_assert_cmpint(virConnectIsSecure(f->conn), ==, 1);
    g_assert_cmpint(virConnectIsAlive(f->conn), ==, 1);
    g_assert_cmpint(virConnectIsEncrypted(f->conn), ==, 0);
    g_assert_cmpint(virConnectGetVersion(f->conn, &ver), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_NO_SUPPORT);
    g_assert_cmpint(secretConnectDriver.hypervisorDriver->connectSupportsFeature(f->conn, 10),
                    ==, 1);
    g_assert_cmpint(secretConnectDriver.hypervisorDriver->connectSupportsFeature(f->conn, 1),
                    ==, 0);

    bad = virConnectOpen("secret:///system");
    g_assert_null(bad);
    assertError(VIR_ERR_INTERNAL_ERROR,
                "internal error: unexpected secret URI path '/system', try secret:///session");
}

static void
testDefineLookupList(Fixture *f, gconstpointer data)
{
    virSecretPtr vol = define(f, xmlVol);
    virSecretPtr ceph = define(f, xmlCeph);
    virSecretPtr iscsi = define(f, xmlIscsi);
    virSecretPtr s;
    virSecretPtr *list = NULL;
    g_autofree char *xml = NULL;
    char uuidstr[VIR_UUID_STRING_BUFLEN];
    char *uuids[8] = { 0 };
    int n, i;

    g_assert_cmpint(virConnectNumOfSecrets(f->conn), ==, 3);
    n = virConnectListSecrets(f->conn, uuids, 8);
    g_assert_cmpint(n, ==, 3);
    g_assert_cmpstr(uuids[0], ==, U_VOL);
    for (i = 0; i < n; i++)
        g_free(uuids[i]);

    xml = virSecretGetXMLDesc(vol, 0);
    g_assert_cmpstr(xml, ==, xmlVol);
    g_assert_null(virSecretGetXMLDesc(vol, 1));
    assertError(VIR_ERR_INVALID_ARG,
                "invalid argument: unsupported flags (0x1) in function secretGetXMLDesc");

    s = virSecretLookupByUsage(f->conn, VIR_SECRET_USAGE_TYPE_VOLUME,
                               "/var/lib/libvirt/images/data.qcow2");
    g_assert_nonnull(s);
    virSecretGetUUIDString(s, uuidstr);
    g_assert_cmpstr(uuidstr, ==, U_VOL);
    g_assert_cmpstr(virSecretGetUsageID(s), ==, "/var/lib/libvirt/images/data.qcow2");
    virSecretFree(s);

    g_assert_null(virSecretLookupByUsage(f->conn, VIR_SECRET_USAGE_TYPE_VOLUME,
                                         "client.admin secret"));
    assertError(VIR_ERR_NO_SECRET,
                "Secret not found: no secret with matching usage 'client.admin secret'");
    g_assert_null(virSecretLookupByUUIDString(f->conn, U_MISSING));
    assertError(VIR_ERR_NO_SECRET,
                "Secret not found: no secret with matching uuid '" U_MISSING "'");

    /* list flags */
    g_assert_cmpint(virConnectListAllSecrets(f->conn, &list, 0), ==, 3);
    for (i = 0; list[i]; i++)
        virSecretFree(list[i]);
    g_free(list);
#define COUNT(fl) virConnectListAllSecrets(f->conn, NULL, fl)
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_EPHEMERAL), ==, 1);
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL), ==, 2);
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_PRIVATE), ==, 1);
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_NO_PRIVATE), ==, 2);
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_EPHEMERAL |
                          VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL), ==, 3);
    g_assert_cmpint(COUNT(VIR_CONNECT_LIST_SECRETS_NO_EPHEMERAL |
                          VIR_CONNECT_LIST_SECRETS_PRIVATE), ==, 1);
    g_assert_cmpint(COUNT(1 << 20), ==, -1);
#undef COUNT
    assertError(VIR_ERR_INVALID_ARG, "invalid argument: unsupported flags (0x100000) in "
                "function secretConnectListAllSecrets");

    /* files: persistent ones only, private modes */
    {
        g_autofree char *volXml = configFile(f, U_VOL, ".xml");
        g_autofree char *iscsiXml = configFile(f, U_ISCSI, ".xml");
        g_autofree char *dir = g_build_filename(f->configDir, "secrets", NULL);
        struct stat st;

        g_assert_cmpint(stat(volXml, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0600);
        g_assert_cmpint(stat(dir, &st), ==, 0);
        g_assert_cmpint(st.st_mode & 0777, ==, 0700);
        g_assert_false(g_file_test(iscsiXml, G_FILE_TEST_EXISTS));
    }

    g_assert_cmpint(virSecretUndefine(vol), ==, 0);
    g_assert_cmpint(virSecretUndefine(vol), ==, -1);
    assertError(VIR_ERR_NO_SECRET,
                "Secret not found: no secret with matching uuid '" U_VOL "'");
    g_assert_null(virSecretGetXMLDesc(vol, 0));
    g_assert_cmpint(virConnectNumOfSecrets(f->conn), ==, 2);
    {
        g_autofree char *volXml = configFile(f, U_VOL, ".xml");

        g_assert_false(g_file_test(volXml, G_FILE_TEST_EXISTS));
    }
    virSecretFree(vol);
    virSecretFree(ceph);
    virSecretFree(iscsi);
}

static void
testDefineErrors(Fixture *f, gconstpointer data)
{
    virSecretPtr vol = define(f, xmlVol);
    virSecretPtr s;

    g_assert_null(virSecretDefineXML(f->conn, "<secret/>", 2));
    assertError(VIR_ERR_INVALID_ARG,
                "invalid argument: unsupported flags (0x2) in function secretDefineXML");

    /* another secret with the same usage */
    g_assert_null(virSecretDefineXML(f->conn,
        "<secret><usage type='volume'><volume>/var/lib/libvirt/images/data.qcow2</volume>"
        "</usage></secret>", 0));
    assertError(VIR_ERR_INTERNAL_ERROR, "internal error: a secret with UUID " U_VOL
                " already defined for use with /var/lib/libvirt/images/data.qcow2");

    /* same UUID, other usage */
    g_assert_null(virSecretDefineXML(f->conn,
        "<secret><uuid>" U_VOL "</uuid><usage type='ceph'><name>x</name></usage></secret>", 0));
    assertError(VIR_ERR_INTERNAL_ERROR, "internal error: a secret with UUID " U_VOL
                " is already defined for use with /var/lib/libvirt/images/data.qcow2");

    /* private may be turned on, never off */
    s = virSecretDefineXML(f->conn,
        "<secret private='yes'><uuid>" U_VOL "</uuid><usage type='volume'>"
        "<volume>/var/lib/libvirt/images/data.qcow2</volume></usage></secret>", 0);
    g_assert_nonnull(s);
    virSecretFree(s);
    g_assert_null(virSecretDefineXML(f->conn, xmlVol, 0));
    assertError(VIR_ERR_INTERNAL_ERROR,
                "internal error: cannot change private flag on existing secret");

    /* the validate flag runs the schema first */
    g_assert_null(virSecretDefineXML(f->conn, "<secret><colour/></secret>",
                                     VIR_SECRET_DEFINE_VALIDATE));
    assertErrorContains(VIR_ERR_XML_INVALID_SCHEMA,
                        "XML document failed to validate against schema: Unable to "
                        "validate doc against ");
    g_assert_null(virSecretDefineXML(f->conn, "<secret>\n  <usage type='volume'>\n</secret>\n",
                                     0));
    assertErrorContains(VIR_ERR_XML_DETAIL, "(definition_of_secret):3: Opening and ending "
                        "tag mismatch: usage line 2 and secret");
    s = virSecretDefineXML(f->conn, "<secret><usage type='tls'><name>t</name></usage></secret>",
                           VIR_SECRET_DEFINE_VALIDATE);
    g_assert_nonnull(s);
    virSecretFree(s);
    virSecretFree(vol);
}

static void
testValues(Fixture *f, gconstpointer data)
{
    virSecretPtr vol = define(f, xmlVol);
    virSecretPtr ceph = define(f, xmlCeph);
    virSecretPtr iscsi = define(f, xmlIscsi);
    g_autofree unsigned char *big = g_malloc0(65537);
    unsigned char *v;
    size_t len = 0;

    g_assert_null(virSecretGetValue(vol, &len, 0));
    assertError(VIR_ERR_NO_SECRET,
                "Secret not found: secret '" U_VOL "' does not have a value");

    g_assert_cmpint(virSecretSetValue(vol, (const unsigned char *)plaintext,
                                      strlen(plaintext), 0), ==, 0);
    v = virSecretGetValue(vol, &len, 0);
    g_assert_nonnull(v);
    g_assert_cmpmem(v, len, plaintext, strlen(plaintext));
    g_free(v);

    g_assert_cmpint(virSecretSetValue(vol, (const unsigned char *)"x", 1, 1), ==, -1);
    assertError(VIR_ERR_INVALID_ARG,
                "invalid argument: unsupported flags (0x1) in function secretSetValue");
    g_assert_null(virSecretGetValue(vol, &len, 1));
    assertError(VIR_ERR_INVALID_ARG,
                "invalid argument: unsupported flags (0x1) in function secretGetValue");
    g_assert_cmpint(virSecretSetValue(vol, big, 65537, 0), ==, -1);
    assertErrorContains(VIR_ERR_INVALID_ARG, "65537 bytes is larger than the limit of 65536");
    g_assert_cmpint(virSecretSetValue(vol, big, 65536, 0), ==, 0);

    /* binary value with NULs */
    g_assert_cmpint(virSecretSetValue(iscsi, (const unsigned char *)"\0\1bin\377", 6, 0), ==, 0);
    v = virSecretGetValue(iscsi, &len, 0);
    g_assert_cmpmem(v, len, "\0\1bin\377", 6);
    g_free(v);

    /* private: refused to clients, given to other daemons */
    g_assert_cmpint(virSecretSetValue(ceph, (const unsigned char *)"p", 1, 0), ==, 0);
    g_assert_null(virSecretGetValue(ceph, &len, 0));
    assertError(VIR_ERR_INVALID_SECRET, "Invalid secret: secret is private");
    v = mvSecretGetValueInternal(ceph, &len);
    g_assert_nonnull(v);
    g_assert_cmpmem(v, len, "p", 1);
    g_free(v);

    /* ephemeral values never reach the disk */
    {
        g_autofree char *iv = configFile(f, U_ISCSI, ".value");

        g_assert_false(g_file_test(iv, G_FILE_TEST_EXISTS));
    }
    virSecretFree(vol);
    virSecretFree(ceph);
    virSecretFree(iscsi);
}

static bool
memContains(const char *hay, size_t haylen, const char *needle, size_t nlen)
{
    size_t i;

    for (i = 0; i + nlen <= haylen; i++) {
        if (memcmp(hay + i, needle, nlen) == 0)
            return true;
    }
    return false;
}

static void
testAtRest(Fixture *f, gconstpointer data)
{
    virSecretPtr vol = define(f, xmlVol);
    g_autofree char *valuePath = configFile(f, U_VOL, ".value");
    g_autofree char *keyPath = g_build_filename(f->stateDir, "secrets", "master.key", NULL);
    g_autofree char *keyDir = g_build_filename(f->stateDir, "secrets", NULL);
    g_autofree char *content = NULL;
    g_autofree char *b64 = g_base64_encode((const guchar *)plaintext, strlen(plaintext));
    size_t clen = 0;
    struct stat st;

    g_assert_false(g_file_test(keyPath, G_FILE_TEST_EXISTS));
    g_assert_cmpint(virSecretSetValue(vol, (const unsigned char *)plaintext,
                                      strlen(plaintext), 0), ==, 0);
    g_assert_cmpint(mvFileReadAll(valuePath, 1 << 20, &content, &clen), ==, 0);
    g_assert_cmpuint(clen, ==, 24 + strlen(plaintext) + 16);
    g_assert_true(memcmp(content, "MVSECRT", 8) == 0);
    g_assert_false(memContains(content, clen, plaintext, strlen(plaintext)));
    g_assert_false(memContains(content, clen, "horse", 5));
    g_assert_false(memContains(content, clen, b64, strlen(b64)));

    g_assert_cmpint(stat(valuePath, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_cmpint(stat(keyPath, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_assert_cmpint(st.st_size, ==, 32);
    g_assert_cmpint(stat(keyDir, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);

    /* a second write uses a fresh nonce */
    {
        g_autofree char *again = NULL;
        size_t alen = 0;

        g_assert_cmpint(virSecretSetValue(vol, (const unsigned char *)plaintext,
                                          strlen(plaintext), 0), ==, 0);
        g_assert_cmpint(mvFileReadAll(valuePath, 1 << 20, &again, &alen), ==, 0);
        g_assert_cmpuint(alen, ==, clen);
        g_assert_true(memcmp(again, content, clen) != 0);
    }
    virSecretFree(vol);
}

static void
reopen(Fixture *f, const char *configDir, const char *stateDir)
{
    virConnectClose(f->conn);
    secretStateDriver.cleanup();
    driverStart(configDir, stateDir);
    f->conn = virConnectOpen("secret:///session");
    g_assert_nonnull(f->conn);
}

static void
testPersistence(Fixture *f, gconstpointer data)
{
    virSecretPtr s = define(f, xmlVol);
    unsigned char *v;
    size_t len = 0;
    g_autofree char *xml = NULL;

    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)plaintext,
                                      strlen(plaintext), 0), ==, 0);
    virSecretFree(s);
    s = define(f, xmlIscsi);
    virSecretFree(s);

    reopen(f, f->configDir, f->stateDir);
    g_assert_cmpint(virConnectNumOfSecrets(f->conn), ==, 1);   /* ephemeral gone */
    s = virSecretLookupByUUIDString(f->conn, U_VOL);
    g_assert_nonnull(s);
    xml = virSecretGetXMLDesc(s, 0);
    g_assert_cmpstr(xml, ==, xmlVol);
    v = virSecretGetValue(s, &len, 0);
    g_assert_nonnull(v);
    g_assert_cmpmem(v, len, plaintext, strlen(plaintext));
    g_free(v);
    virSecretFree(s);
}

static void
testForeignHost(Fixture *f, gconstpointer data)
{
    virSecretPtr s = define(f, xmlVol);
    g_autofree char *otherState = g_build_filename(f->root, "other-state", NULL);
    g_autofree char *otherKey = g_build_filename(otherState, "secrets", "master.key", NULL);
    size_t len = 0;

    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)plaintext,
                                      strlen(plaintext), 0), ==, 0);
    virSecretFree(s);

    /* the config dir alone: no key on this "host" */
    reopen(f, f->configDir, otherState);
    s = virSecretLookupByUUIDString(f->conn, U_VOL);
    g_assert_nonnull(s);
    g_assert_null(virSecretGetValue(s, &len, 0));
    assertErrorContains(VIR_ERR_OPERATION_FAILED, "does not exist (values cannot be read on "
                        "a host other than the one that stored them)");
    g_assert_false(g_file_test(otherKey, G_FILE_TEST_EXISTS));
    virSecretFree(s);

    /* a host with its own, different key */
    {
        int fd;
        g_autofree char *dir = g_path_get_dirname(otherKey);

        g_assert_cmpint(mvFileMakePath(dir, 0700), ==, 0);
        fd = open(otherKey, O_WRONLY | O_CREAT | O_EXCL, 0600);
        g_assert_cmpint(fd, >=, 0);
        g_assert_cmpint(write(fd, "0123456789abcdef0123456789abcdef", 32), ==, 32);
        close(fd);
    }
    reopen(f, f->configDir, otherState);
    s = virSecretLookupByUUIDString(f->conn, U_VOL);
    g_assert_null(virSecretGetValue(s, &len, 0));
    assertErrorContains(VIR_ERR_OPERATION_FAILED, "it was sealed with another host key or is "
                        "corrupted");
    virSecretFree(s);
}

static void
testCorrupted(Fixture *f, gconstpointer data)
{
    virSecretPtr s = define(f, xmlVol);
    virSecretPtr c = define(f, xmlCeph);
    g_autofree char *valuePath = configFile(f, U_VOL, ".value");
    g_autofree char *cephPath = configFile(f, U_CEPH, ".value");
    g_autofree char *cephXml = configFile(f, U_CEPH, ".xml");
    g_autofree char *content = NULL;
    g_autofree char *junk = g_build_filename(f->configDir, "secrets", "junk.xml", NULL);
    size_t clen = 0, len = 0;

    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)plaintext,
                                      strlen(plaintext), 0), ==, 0);
    g_assert_cmpint(virSecretSetValue(c, (const unsigned char *)"v", 1, 0), ==, 0);
    virSecretFree(s);
    virSecretFree(c);

    /* flip one ciphertext bit; truncate the other; add a broken file */
    g_assert_cmpint(mvFileReadAll(valuePath, 1 << 20, &content, &clen), ==, 0);
    content[30] ^= 1;
    g_assert_cmpint(mvFileWriteAtomic(valuePath, content, clen, 0600), ==, 0);
    g_assert_cmpint(mvFileWriteAtomic(cephPath, "MVSE", 4, 0600), ==, 0);
    g_assert_cmpint(mvFileWriteAtomic(junk, "<secret>", 8, 0600), ==, 0);

    reopen(f, f->configDir, f->stateDir);
    g_assert_cmpint(virConnectNumOfSecrets(f->conn), ==, 2);
    s = virSecretLookupByUUIDString(f->conn, U_VOL);
    g_assert_null(virSecretGetValue(s, &len, 0));
    assertErrorContains(VIR_ERR_OPERATION_FAILED, "cannot decrypt value file");
    virSecretFree(s);
    s = virSecretLookupByUUIDString(f->conn, U_CEPH);
    g_assert_null(mvSecretGetValueInternal(s, &len));
    g_assert_nonnull(strstr(mvErrorGetLast()->message, "is corrupted: not a modvirt sealed value"));
    virSecretFree(s);

    /* a broken XML file is skipped, not fatal */
    g_assert_cmpint(mvFileWriteAtomic(cephXml, "<secret", 7, 0600), ==, 0);
    reopen(f, f->configDir, f->stateDir);
    g_assert_cmpint(virConnectNumOfSecrets(f->conn), ==, 1);
}

static void
testEphemeralToggle(Fixture *f, gconstpointer data)
{
    virSecretPtr s = define(f, xmlIscsi);
    g_autofree char *xmlPath = configFile(f, U_ISCSI, ".xml");
    g_autofree char *valuePath = configFile(f, U_ISCSI, ".value");
    g_autofree char *persistent = g_strdup(xmlIscsi);
    unsigned char *v;
    size_t len = 0;

    memcpy(strstr(persistent, "'yes'"), "'no' ", 5);
    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)"chap", 4, 0), ==, 0);
    g_assert_false(g_file_test(valuePath, G_FILE_TEST_EXISTS));
    virSecretFree(s);

    s = define(f, persistent);      /* ephemeral -> persistent: files appear */
    g_assert_true(g_file_test(xmlPath, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(valuePath, G_FILE_TEST_EXISTS));
    virSecretFree(s);

    reopen(f, f->configDir, f->stateDir);
    s = define(f, xmlIscsi);        /* persistent -> ephemeral: files go, value stays */
    g_assert_false(g_file_test(xmlPath, G_FILE_TEST_EXISTS));
    g_assert_false(g_file_test(valuePath, G_FILE_TEST_EXISTS));
    v = virSecretGetValue(s, &len, 0);
    g_assert_cmpmem(v, len, "chap", 4);
    g_free(v);
    virSecretFree(s);
}

typedef struct {
    int lifecycle[2];       /* DEFINED, UNDEFINED */
    int valueChanged;
    char lastUUID[VIR_UUID_STRING_BUFLEN];
    int filtered;
} EventLog;

static void
onLifecycle(virConnectPtr conn, virSecretPtr secret, int event, int detail, void *opaque)
{
    EventLog *log = opaque;

    g_assert_cmpint(detail, ==, 0);
    g_assert_true(event == VIR_SECRET_EVENT_DEFINED || event == VIR_SECRET_EVENT_UNDEFINED);
    log->lifecycle[event]++;
    virSecretGetUUIDString(secret, log->lastUUID);
}

static void
onValue(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    EventLog *log = opaque;

    log->valueChanged++;
    virSecretGetUUIDString(secret, log->lastUUID);
}

static void
onFiltered(virConnectPtr conn, virSecretPtr secret, void *opaque)
{
    ((EventLog *)opaque)->filtered++;
}

static void
testEvents(Fixture *f, gconstpointer data)
{
    EventLog log = { 0 };
    virSecretPtr s, other;
    int id1, id2, id3;

    id1 = virConnectSecretEventRegisterAny(f->conn, NULL, VIR_SECRET_EVENT_ID_LIFECYCLE,
                                           VIR_SECRET_EVENT_CALLBACK(onLifecycle), &log, NULL);
    id2 = virConnectSecretEventRegisterAny(f->conn, NULL, VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                                           VIR_SECRET_EVENT_CALLBACK(onValue), &log, NULL);
    g_assert_cmpint(id1, >=, 0);
    g_assert_cmpint(id2, >=, 0);

    s = define(f, xmlVol);
    g_assert_cmpint(log.lifecycle[VIR_SECRET_EVENT_DEFINED], ==, 1);
    g_assert_cmpstr(log.lastUUID, ==, U_VOL);
    other = define(f, xmlCeph);
    id3 = virConnectSecretEventRegisterAny(f->conn, other, VIR_SECRET_EVENT_ID_VALUE_CHANGED,
                                           VIR_SECRET_EVENT_CALLBACK(onFiltered), &log, NULL);
    g_assert_cmpint(id3, >=, 0);

    g_assert_cmpint(virSecretSetValue(s, (const unsigned char *)"x", 1, 0), ==, 0);
    g_assert_cmpint(log.valueChanged, ==, 1);
    g_assert_cmpint(log.filtered, ==, 0);
    g_assert_cmpint(virSecretSetValue(other, (const unsigned char *)"y", 1, 0), ==, 0);
    g_assert_cmpint(log.valueChanged, ==, 2);
    g_assert_cmpint(log.filtered, ==, 1);
    g_assert_cmpstr(log.lastUUID, ==, U_CEPH);

    g_assert_cmpint(virSecretUndefine(s), ==, 0);
    g_assert_cmpint(log.lifecycle[VIR_SECRET_EVENT_UNDEFINED], ==, 1);
    g_assert_cmpstr(log.lastUUID, ==, U_VOL);

    g_assert_cmpint(virConnectSecretEventDeregisterAny(f->conn, id1), ==, 0);
    g_assert_cmpint(virConnectSecretEventDeregisterAny(f->conn, id1), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    g_assert_cmpint(virSecretUndefine(other), ==, 0);
    g_assert_cmpint(log.lifecycle[VIR_SECRET_EVENT_UNDEFINED], ==, 1);

    g_assert_cmpint(virConnectSecretEventRegisterAny(f->conn, NULL, 7,
                    VIR_SECRET_EVENT_CALLBACK(onValue), &log, NULL), ==, -1);
    g_assert_cmpint(virGetLastErrorCode(), ==, VIR_ERR_INVALID_ARG);
    virSecretFree(s);
    virSecretFree(other);
}

int
main(int argc, char **argv)
{
    g_setenv("MODVIRT_SCHEMA_DIR", MV_SRC_SCHEMADIR, TRUE);
    g_setenv("LIBVIRT_DEFAULT_URI", "", TRUE);
    g_test_init(&argc, &argv, NULL);
    g_assert_cmpint(secretStateDriver.registerDriver(), ==, 0);

#define ADD(path, fn) g_test_add(path, Fixture, NULL, fixtureSetUp, fn, fixtureTearDown)
    ADD("/secret/driver/connect", testConnect);
    ADD("/secret/driver/define-lookup-list", testDefineLookupList);
    ADD("/secret/driver/define-errors", testDefineErrors);
    ADD("/secret/driver/values", testValues);
    ADD("/secret/driver/at-rest", testAtRest);
    ADD("/secret/driver/persistence", testPersistence);
    ADD("/secret/driver/foreign-host", testForeignHost);
    ADD("/secret/driver/corrupted", testCorrupted);
    ADD("/secret/driver/ephemeral-toggle", testEphemeralToggle);
    ADD("/secret/driver/events", testEvents);
#undef ADD
    return g_test_run();
}
