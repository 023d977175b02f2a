/* Copyright 2026 the aos-common authors. Apache-2.0 license.
 *
 * The peer of bench/compare/pkcs11.sh: signs in a loop with C_SignInit +
 * C_Sign on a PKCS#11 module, one thread per session, and prints signatures
 * per second. What the token itself can do, without any binding in the way.
 *
 * Usage: pkcs11_sign MODULE TOKEN PIN KEY_LABEL rsa|ec SECONDS [THREADS]
 * rsa signs a SHA-256 DigestInfo with CKM_RSA_PKCS, ec a SHA-256 digest with
 * CKM_ECDSA: the same bytes our Pkcs11PrivateKey hands the module.
 *
 * The few Cryptoki types it needs are declared here (Linux LP64 layout) so
 * that no PKCS#11 header package is needed.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef unsigned long ck_ulong;
typedef struct { ck_ulong type; void *value; ck_ulong len; } ck_attribute;
typedef struct { ck_ulong mechanism; void *parameter; ck_ulong len; } ck_mechanism;
typedef struct { unsigned char version[2]; void *fn[68]; } ck_function_list;
typedef struct { void *mutex[4]; ck_ulong flags; void *reserved; } ck_initialize_args;

typedef ck_ulong (*get_function_list_fn)(ck_function_list **);
typedef ck_ulong (*initialize_fn)(void *);
typedef ck_ulong (*get_slot_list_fn)(unsigned char, ck_ulong *, ck_ulong *);
typedef ck_ulong (*get_token_info_fn)(ck_ulong, unsigned char *);
typedef ck_ulong (*open_session_fn)(ck_ulong, ck_ulong, void *, void *, ck_ulong *);
typedef ck_ulong (*login_fn)(ck_ulong, ck_ulong, unsigned char *, ck_ulong);
typedef ck_ulong (*find_init_fn)(ck_ulong, ck_attribute *, ck_ulong);
typedef ck_ulong (*find_fn)(ck_ulong, ck_ulong *, ck_ulong, ck_ulong *);
typedef ck_ulong (*find_final_fn)(ck_ulong);
typedef ck_ulong (*sign_init_fn)(ck_ulong, ck_mechanism *, ck_ulong);
typedef ck_ulong (*sign_fn)(ck_ulong, unsigned char *, ck_ulong, unsigned char *, ck_ulong *);

/* Slots of the functions in CK_FUNCTION_LIST. */
enum { INITIALIZE = 0, GET_SLOT_LIST = 4, GET_TOKEN_INFO = 6, OPEN_SESSION = 12, LOGIN = 18,
       FIND_INIT = 26, FIND = 27, FIND_FINAL = 28, SIGN_INIT = 42, SIGN = 43 };
#define CALL(list, slot, type, ...) (((type)(list)->fn[slot])(__VA_ARGS__))

#define MAX_THREADS 16
static ck_function_list *functions;
static ck_ulong key, mechanism;
static double seconds;
static ck_ulong sessions[MAX_THREADS];
static long counts[MAX_THREADS];

/* SHA-256 DigestInfo prefix followed by a digest (its value does not matter). */
static const unsigned char digest_info[51] = {
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01,
  0x05, 0x00, 0x04, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void fail(const char *what, ck_ulong rv) {
  fprintf(stderr, "%s failed: 0x%lx\n", what, rv);
  exit(1);
}

static void *sign_loop(void *arg) {
  long i = (long)arg;
  unsigned char data[sizeof digest_info], signature[1024];
  ck_mechanism m = {mechanism, NULL, 0};
  int rsa = mechanism == 0x1;
  ck_ulong data_len = rsa ? sizeof digest_info : 32;
  memcpy(data, rsa ? digest_info : digest_info + 19, data_len);
  double end = now() + seconds;
  long n = 0;
  while (now() < end) {
    ck_ulong len = sizeof signature, rv;
    if ((rv = CALL(functions, SIGN_INIT, sign_init_fn, sessions[i], &m, key))) fail("C_SignInit", rv);
    if ((rv = CALL(functions, SIGN, sign_fn, sessions[i], data, data_len, signature, &len))) fail("C_Sign", rv);
    n++;
  }
  counts[i] = n;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr, "usage: %s MODULE TOKEN PIN KEY_LABEL rsa|ec SECONDS [THREADS]\n", argv[0]);
    return 2;
  }
  const char *token = argv[2], *pin = argv[3], *label = argv[4];
  int threads = argc > 7 ? atoi(argv[7]) : 1;
  if (threads < 1 || threads > MAX_THREADS) return 2;
  mechanism = strcmp(argv[5], "rsa") == 0 ? 0x1 /* CKM_RSA_PKCS */ : 0x1041 /* CKM_ECDSA */;
  seconds = atof(argv[6]);

  void *module = dlopen(argv[1], RTLD_NOW);
  if (module == NULL) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  get_function_list_fn get_list = (get_function_list_fn)dlsym(module, "C_GetFunctionList");
  ck_ulong rv;
  if (get_list == NULL || (rv = get_list(&functions))) fail("C_GetFunctionList", 1);
  ck_initialize_args init = {{NULL, NULL, NULL, NULL}, 0x2 /* CKF_OS_LOCKING_OK */, NULL};
  if ((rv = CALL(functions, INITIALIZE, initialize_fn, &init))) fail("C_Initialize", rv);

  ck_ulong slots[64], slot_count = 64, slot = (ck_ulong)-1;
  if ((rv = CALL(functions, GET_SLOT_LIST, get_slot_list_fn, 1, slots, &slot_count))) fail("C_GetSlotList", rv);
  for (ck_ulong i = 0; i < slot_count; i++) {
    unsigned char info[208]; /* CK_TOKEN_INFO; the label is its first 32 bytes, blank padded */
    if (CALL(functions, GET_TOKEN_INFO, get_token_info_fn, slots[i], info)) continue;
    size_t n = strlen(token);
    if (n <= 32 && memcmp(info, token, n) == 0 && (n == 32 || info[n] == ' ')) slot = slots[i];
  }
  if (slot == (ck_ulong)-1) { fprintf(stderr, "no token labelled %s\n", token); return 1; }

  for (int i = 0; i < threads; i++) {
    if ((rv = CALL(functions, OPEN_SESSION, open_session_fn, slot, 0x6, NULL, NULL, &sessions[i])))
      fail("C_OpenSession", rv);
  }
  rv = CALL(functions, LOGIN, login_fn, sessions[0], 1 /* CKU_USER */, (unsigned char *)pin, strlen(pin));
  if (rv && rv != 0x100) fail("C_Login", rv);

  ck_ulong key_class = 3 /* CKO_PRIVATE_KEY */, found = 0;
  ck_attribute template[2] = {{0 /* CKA_CLASS */, &key_class, sizeof key_class},
                              {3 /* CKA_LABEL */, (void *)label, strlen(label)}};
  if ((rv = CALL(functions, FIND_INIT, find_init_fn, sessions[0], template, 2))) fail("C_FindObjectsInit", rv);
  CALL(functions, FIND, find_fn, sessions[0], &key, 1, &found);
  CALL(functions, FIND_FINAL, find_final_fn, sessions[0]);
  if (found != 1) { fprintf(stderr, "no private key labelled %s\n", label); return 1; }

  pthread_t tid[MAX_THREADS];
  double start = now();
  for (long i = 0; i < threads; i++) pthread_create(&tid[i], NULL, sign_loop, (void *)i);
  long total = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(tid[i], NULL);
    total += counts[i];
  }
  printf("%.0f\n", (double)total / (now() - start));
  return 0;
}
