/*
 * C tests of the asynchronous commands (gc_agent_command_async,
 * gc_agent_login_async, gc_request_cancel) and of the non-waiting close and
 * free, against a real ActiveMQ broker and the scripted GC peer
 * (ffi/examples/gc_peer.rs; `MakeCall` to `silent...` is never answered).
 * Environment: GCCLIENT_TEST_STOMP, GCCLIENT_TEST_QUEUE,
 * GCCLIENT_TEST_PENDING (silent commands in flight, default 1000).
 * Exit status 0 when every check passed.
 */
#include <gcclient.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);        \
      failures++;                                                            \
    }                                                                        \
  } while (0)

#define CHECK_STATUS(call, expected)                                         \
  do {                                                                       \
    gc_status got_ = (call);                                                 \
    if (got_ != (expected)) {                                                \
      char err_[512], name_[64];                                             \
      gc_last_error(err_, sizeof err_, NULL);                                \
      gc_status_name(got_, name_, sizeof name_, NULL);                       \
      fprintf(stderr, "FAIL %s:%d: %s returned %s, expected %s (%s)\n",      \
              __FILE__, __LINE__, #call, name_, #expected, err_);            \
      failures++;                                                            \
    }                                                                        \
  } while (0)

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What one request's callback saw. */
struct outcome {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int calls;
  gc_status status;
  char state[64];
  char error_code[64];
  char message[256];
  pthread_t thread;
};

static void outcome_init(struct outcome *o) {
  memset(o, 0, sizeof *o);
  pthread_mutex_init(&o->lock, NULL);
  pthread_cond_init(&o->cond, NULL);
}

static void outcome_destroy(struct outcome *o) {
  pthread_mutex_destroy(&o->lock);
  pthread_cond_destroy(&o->cond);
}

static void on_done(void *userdata, gc_status status, const gc_event *reply) {
  struct outcome *o = userdata;
  pthread_mutex_lock(&o->lock);
  o->calls++;
  o->status = status;
  o->thread = pthread_self();
  /* First: any other call (even a failed field lookup) sets its own error. */
  if (status != GC_OK) gc_last_error(o->message, sizeof o->message, NULL);
  if (reply) {
    gc_event_field(reply, "state", o->state, sizeof o->state, NULL);
    gc_event_error_code(reply, o->error_code, sizeof o->error_code, NULL);
  }
  pthread_cond_broadcast(&o->cond);
  pthread_mutex_unlock(&o->lock);
}

static int wait_calls(struct outcome *o, int calls, double timeout_s) {
  struct timespec until;
  int ok;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += (time_t)timeout_s;
  pthread_mutex_lock(&o->lock);
  while (o->calls < calls) {
    if (pthread_cond_timedwait(&o->cond, &o->lock, &until) != 0) break;
  }
  ok = o->calls >= calls;
  pthread_mutex_unlock(&o->lock);
  return ok;
}

/* Many requests share one counter. */
struct counter {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int calls;
  int closed;
  int other;
};

static void on_count(void *userdata, gc_status status, const gc_event *reply) {
  struct counter *c = userdata;
  (void)reply;
  pthread_mutex_lock(&c->lock);
  c->calls++;
  if (status == GC_ERR_CLOSED) c->closed++;
  else c->other++;
  pthread_cond_broadcast(&c->cond);
  pthread_mutex_unlock(&c->lock);
}

static gc_client *connect_client(const char *stomp, const char *queue) {
  char brokers[128];
  gc_config cfg;
  gc_client *client = NULL;
  snprintf(brokers, sizeof brokers, "tcp://%s", stomp);
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = brokers;
  cfg.queue = queue;
  cfg.request_timeout_ms = 5000;
  CHECK_STATUS(gc_client_connect(&cfg, &client), GC_OK);
  if (client) CHECK_STATUS(gc_client_wait_in_service(client, 10000), GC_OK);
  return client;
}

static void test_replies(gc_agent *agent) {
  struct outcome o;
  gc_request *req = NULL;
  const char *no_args[1] = {NULL};
  const char *silent[1] = {"silent-timeout"};
  const char *comma[1] = {"50,02"};
  bool cancelled = true;

  /* a reply */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_login_async(agent, "secret", "5001", on_done, &o, &req), GC_OK);
  CHECK(req != NULL);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_OK && strcmp(o.state, "NOT_READY") == 0);
  CHECK(!pthread_equal(o.thread, pthread_self()));
  /* too late to cancel: the callback ran, userdata is the callback's */
  CHECK_STATUS(gc_request_cancel(req, &cancelled), GC_OK);
  CHECK(!cancelled);
  outcome_destroy(&o);

  /* GC's refusal: GC_ERR_GC, the Error event as the reply, the message */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_login_async(agent, "secret", "0000", on_done, &o, NULL), GC_OK);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_ERR_GC && strcmp(o.error_code, "WRONG_EXTENSION") == 0);
  CHECK(strstr(o.message, "WRONG_EXTENSION") != NULL);
  outcome_destroy(&o);

  /* a command by name, without arguments */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_command_async(agent, "make_ready", no_args, 0, 0, on_done, &o, NULL), GC_OK);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_OK && strcmp(o.state, "READY") == 0);
  outcome_destroy(&o);

  /* a session command (the session's own logout, which forgets the password) */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_command_async(agent, "logout", no_args, 0, 0, on_done, &o, NULL), GC_OK);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_OK && strcmp(o.state, "LOGOUT") == 0);
  outcome_destroy(&o);

  /* GC silent: the per-call timeout, no reply */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_command_async(agent, "make_call", silent, 1, 200, on_done, &o, NULL), GC_OK);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_ERR_TIMEOUT && o.state[0] == 0);
  outcome_destroy(&o);

  /* failures of the call itself: nothing sent, the callback never runs */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_command_async(agent, "no_such_command", no_args, 0, 0, on_done, &o, NULL),
               GC_ERR_UNKNOWN_COMMAND);
  CHECK_STATUS(gc_agent_command_async(agent, "make_call", silent, 1, 0, NULL, &o, NULL),
               GC_ERR_NULL_ARGUMENT);
  CHECK_STATUS(gc_agent_command_async(NULL, "make_ready", no_args, 0, 0, on_done, &o, NULL),
               GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_agent_login_async(agent, NULL, "5001", on_done, &o, NULL), GC_ERR_NULL_ARGUMENT);
  CHECK_STATUS(gc_request_cancel(NULL, &cancelled), GC_ERR_INVALID_HANDLE);
  CHECK(o.calls == 0);
  outcome_destroy(&o);

  /* a value the protocol cannot carry: refused before sending, through the callback */
  outcome_init(&o);
  CHECK_STATUS(gc_agent_command_async(agent, "make_call", comma, 1, 0, on_done, &o, NULL), GC_OK);
  CHECK(wait_calls(&o, 1, 10));
  CHECK(o.status == GC_ERR_INVALID_ARGUMENT && strstr(o.message, "number") != NULL);
  outcome_destroy(&o);
}

/* Many silent commands in flight hold no thread; cancelling frees each one
 * at once, in the core too (its pending count drops to zero). */
static void test_pending_and_cancel(gc_client *client, gc_agent *agent, int n) {
  struct counter c;
  gc_request **reqs = calloc((size_t)n, sizeof *reqs);
  const char *silent[1] = {"silent-cancel"};
  size_t pending = 0;
  double t0, started, deadline;
  int i, cancelled_all = 1;

  memset(&c, 0, sizeof c);
  pthread_mutex_init(&c.lock, NULL);
  pthread_cond_init(&c.cond, NULL);
  t0 = now_s();
  for (i = 0; i < n; i++)
    CHECK_STATUS(gc_agent_command_async(agent, "make_call", silent, 1, 60000, on_count, &c, &reqs[i]), GC_OK);
  started = now_s() - t0;
  /* The requests reach the core's table as the runtime sends them. */
  deadline = now_s() + 20;
  while (gc_client_pending_requests(client, &pending) == GC_OK && pending < (size_t)n && now_s() < deadline) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  CHECK(pending == (size_t)n);
  printf("pending: %d silent commands started in %.1f ms on the calling thread, all pending after %.0f ms\n", n,
         started * 1000, (now_s() - t0) * 1000);

  t0 = now_s();
  for (i = 0; i < n; i++) {
    bool cancelled = false;
    CHECK_STATUS(gc_request_cancel(reqs[i], &cancelled), GC_OK);
    if (!cancelled) cancelled_all = 0;
  }
  CHECK(cancelled_all);
  CHECK_STATUS(gc_client_pending_requests(client, &pending), GC_OK);
  CHECK(pending == 0);
  printf("cancel: %d requests cancelled in %.1f ms, %zu left pending in the core\n", n, (now_s() - t0) * 1000,
         pending);
  /* a second cancel is too late */
  {
    bool again = true;
    CHECK_STATUS(gc_request_cancel(reqs[0], &again), GC_OK);
    CHECK(!again);
  }
  pthread_mutex_lock(&c.lock);
  CHECK(c.calls == 0);
  pthread_mutex_unlock(&c.lock);
  free(reqs);
  pthread_mutex_destroy(&c.lock);
  pthread_cond_destroy(&c.cond);
}

/* Closing without waiting fails the pending requests through their callbacks. */
static void test_close_fails_pending(const char *stomp, const char *queue) {
  struct counter c;
  gc_client *client = connect_client(stomp, queue);
  gc_agent *agent = NULL;
  const char *silent[1] = {"silent-close"};
  struct timespec until;
  size_t pending = 0;
  double deadline;
  int i;
  if (!client) return;
  memset(&c, 0, sizeof c);
  pthread_mutex_init(&c.lock, NULL);
  pthread_cond_init(&c.cond, NULL);
  CHECK_STATUS(gc_client_agent(client, "1301", &agent), GC_OK);
  for (i = 0; i < 10; i++)
    CHECK_STATUS(gc_agent_command_async(agent, "make_call", silent, 1, 60000, on_count, &c, NULL), GC_OK);
  deadline = now_s() + 20;
  while (gc_client_pending_requests(client, &pending) == GC_OK && pending < 10 && now_s() < deadline) {
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
  }
  CHECK(pending == 10);
  CHECK_STATUS(gc_client_close_nowait(client), GC_OK);
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  pthread_mutex_lock(&c.lock);
  while (c.calls < 10 && pthread_cond_timedwait(&c.cond, &c.lock, &until) == 0) {
  }
  if (!(c.calls == 10 && c.closed == 10))
    fprintf(stderr, "close: %d callbacks, %d closed, %d other\n", c.calls, c.closed, c.other);
  CHECK(c.calls == 10 && c.closed == 10);
  pthread_mutex_unlock(&c.lock);
  CHECK_STATUS(gc_agent_free(agent), GC_OK);
  CHECK_STATUS(gc_client_free(client), GC_OK);
  pthread_mutex_destroy(&c.lock);
  pthread_cond_destroy(&c.cond);
}

/* gc_client_free_nowait from the client's own callback, and from a thread
 * the callback is waiting for: neither waits. */
struct freer {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gc_client *client;
  int in_callback;   /* the callback is running and waits for `release` */
  int release;
  int calls_after_free;
  int freed;
  gc_status status;
};

static void on_event_wait(void *userdata, const gc_event *ev) {
  struct freer *f = userdata;
  (void)ev;
  pthread_mutex_lock(&f->lock);
  if (f->freed) f->calls_after_free++;
  if (!f->in_callback) {
    f->in_callback = 1;
    pthread_cond_broadcast(&f->cond);
    /* A handler marshalling to a UI thread and waiting for it. */
    while (!f->release) pthread_cond_wait(&f->cond, &f->lock);
  }
  pthread_mutex_unlock(&f->lock);
}

static void on_event_free_self(void *userdata, const gc_event *ev) {
  struct freer *f = userdata;
  gc_status st;
  gc_event_kind kind;
  pthread_mutex_lock(&f->lock);
  if (f->freed) {
    f->calls_after_free++;
    pthread_mutex_unlock(&f->lock);
    return;
  }
  pthread_mutex_unlock(&f->lock);
  /* The call the peer pushes after MakeReady's reply. */
  if (gc_event_get_kind(ev, &kind) != GC_OK || kind != GC_EVENT_NEW_INBOUND_CALL) return;
  st = gc_client_free_nowait(f->client);
  pthread_mutex_lock(&f->lock);
  f->status = st;
  f->freed = 1;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
}

/* Static: a detached dispatcher may still read it after the test (documented). */
static struct freer freer_state, freer_self;

static void test_free_nowait(const char *stomp, const char *queue) {
  struct freer *f = &freer_state;
  gc_client *client = connect_client(stomp, queue);
  gc_agent *agent = NULL;
  gc_connection_status st;
  double t0, took;
  if (!client) return;
  pthread_mutex_init(&f->lock, NULL);
  pthread_cond_init(&f->cond, NULL);
  f->client = client;

  /* the callback blocks waiting for this thread; this thread frees */
  CHECK_STATUS(gc_client_agent(client, "1302", &agent), GC_OK);
  CHECK_STATUS(gc_client_set_callback(client, on_event_wait, f), GC_OK);
  CHECK_STATUS(gc_agent_make_ready(agent, NULL), GC_OK); /* pushes a call: events */
  pthread_mutex_lock(&f->lock);
  while (!f->in_callback) pthread_cond_wait(&f->cond, &f->lock);
  pthread_mutex_unlock(&f->lock);
  t0 = now_s();
  CHECK_STATUS(gc_client_free_nowait(client), GC_OK);
  took = now_s() - t0;
  CHECK(took < 0.5);
  CHECK_STATUS(gc_client_status(client, &st), GC_ERR_INVALID_HANDLE);
  pthread_mutex_lock(&f->lock);
  f->freed = 1;
  f->release = 1;
  pthread_cond_broadcast(&f->cond);
  pthread_mutex_unlock(&f->lock);
  printf("free_nowait: returned in %.2f ms while the callback waited for the freeing thread\n", took * 1000);
  CHECK_STATUS(gc_agent_free(agent), GC_OK);

  /* the callback frees its own client */
  client = connect_client(stomp, queue);
  if (client) {
    f = &freer_self;
    pthread_mutex_init(&f->lock, NULL);
    pthread_cond_init(&f->cond, NULL);
    f->client = client;
    CHECK_STATUS(gc_client_agent(client, "1303", &agent), GC_OK);
    CHECK_STATUS(gc_client_set_callback(client, on_event_free_self, f), GC_OK);
    CHECK_STATUS(gc_agent_make_ready(agent, NULL), GC_OK);
    pthread_mutex_lock(&f->lock);
    while (!f->freed) pthread_cond_wait(&f->cond, &f->lock);
    CHECK(f->status == GC_OK);
    pthread_mutex_unlock(&f->lock);
    CHECK_STATUS(gc_agent_free(agent), GC_OK);
  }
  /* calls_after_free is checked last: the dispatcher may still be draining */
  pthread_mutex_lock(&freer_state.lock);
  CHECK(freer_state.calls_after_free == 0);
  pthread_mutex_unlock(&freer_state.lock);
  pthread_mutex_lock(&freer_self.lock);
  CHECK(freer_self.calls_after_free == 0);
  pthread_mutex_unlock(&freer_self.lock);
}

int main(void) {
  const char *stomp = getenv("GCCLIENT_TEST_STOMP");
  const char *queue = getenv("GCCLIENT_TEST_QUEUE");
  const char *pending = getenv("GCCLIENT_TEST_PENDING");
  int n = pending ? atoi(pending) : 1000;
  gc_client *client;
  gc_agent *agent = NULL;
  if (!stomp || !queue) {
    fprintf(stderr, "GCCLIENT_TEST_STOMP/GCCLIENT_TEST_QUEUE not set\n");
    return 1;
  }
  client = connect_client(stomp, queue);
  if (client) {
    CHECK_STATUS(gc_client_agent(client, "1300", &agent), GC_OK);
    test_replies(agent);
    test_pending_and_cancel(client, agent, n);
    CHECK_STATUS(gc_agent_free(agent), GC_OK);
    CHECK_STATUS(gc_client_free(client), GC_OK);
  }
  test_close_fails_pending(stomp, queue);
  test_free_nowait(stomp, queue);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all async C checks passed\n");
  return 0;
}
