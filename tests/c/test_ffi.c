/*
 * C tests of the gcclient C ABI against a real ActiveMQ broker and the
 * scripted GC peer (ffi/examples/gc_peer.rs). Environment:
 *   GCCLIENT_TEST_STOMP  host:port of the broker's STOMP connector
 *   GCCLIENT_TEST_QUEUE  the queue the peer consumes
 *   GCCLIENT_TEST_BURST  events in the throughput check (default 2000)
 * Exit status 0 when every check passed.
 */
#include <gcclient.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    if (!(cond)) {                                                           \
      char err_[512];                                                        \
      gc_last_error(err_, sizeof err_, NULL);                                \
      fprintf(stderr, "FAIL %s:%d: %s (last error: %s)\n", __FILE__,        \
              __LINE__, #cond, err_);                                        \
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

/* Passwords the log test looks for: they must never reach a log record. */
#define AGENT_PW "Agent-Pw-c-7f3a91"
#define BROKER_PW "Broker-Pc-c-55c2e0"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- misuse, without a broker ---------------------------------------- */

static void test_misuse(void) {
  char buf[256];
  size_t n = 0;
  gc_client *client = NULL;
  gc_agent *agent = NULL;
  gc_event *event = NULL;
  gc_connection_status st;

  /* NULL handles and NULL out-pointers */
  CHECK_STATUS(gc_client_status(NULL, &st), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_wait_in_service(NULL, 10), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_set_callback(NULL, NULL, NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_close(NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_free(NULL), GC_OK);
  CHECK_STATUS(gc_agent_free(NULL), GC_OK);
  CHECK_STATUS(gc_event_free(NULL), GC_OK);
  CHECK_STATUS(gc_client_agent(NULL, "1001", &agent), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_agent_make_ready(NULL, NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_agent_login(NULL, "pw", "5001", &event), GC_ERR_INVALID_HANDLE);
  CHECK(event == NULL);
  CHECK_STATUS(gc_agent_login(NULL, NULL, "5001", NULL), GC_ERR_NULL_ARGUMENT);
  CHECK_STATUS(gc_agent_command(NULL, NULL, NULL, 0, 0, NULL), GC_ERR_NULL_ARGUMENT);
  CHECK_STATUS(gc_event_get_kind(NULL, NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_event_to_json(NULL, buf, sizeof buf, NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_connect(NULL, &client), GC_ERR_NULL_ARGUMENT);
  CHECK_STATUS(gc_client_connect_toml(NULL, &client), GC_ERR_NULL_ARGUMENT);
  CHECK(client == NULL);

  /* handles that were never ours, or of another type */
  CHECK_STATUS(gc_client_status((gc_client *)(uintptr_t)0x1235, &st), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_agent_make_ready((gc_agent *)(uintptr_t)0xdeadbeef, NULL), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_event_free((gc_event *)(uintptr_t)8), GC_ERR_INVALID_HANDLE);

  /* the last error says what went wrong, and the buffer protocol */
  CHECK_STATUS(gc_client_status((gc_client *)(uintptr_t)0x1235, &st), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_last_error(NULL, 0, &n), GC_OK);
  CHECK(n > 10);
  CHECK_STATUS(gc_last_error(buf, 4, &n), GC_ERR_BUFFER_TOO_SMALL);
  CHECK(buf[0] == '\0');
  CHECK_STATUS(gc_last_error(buf, sizeof buf, NULL), GC_OK);
  CHECK(strstr(buf, "gc_client") != NULL);
  CHECK_STATUS(gc_status_name(GC_ERR_TIMEOUT, buf, sizeof buf, NULL), GC_OK);
  CHECK(strcmp(buf, "GC_ERR_TIMEOUT") == 0);
  CHECK_STATUS(gc_status_name(999, buf, sizeof buf, NULL), GC_ERR_INVALID_ARGUMENT);
  CHECK_STATUS(gc_version(buf, sizeof buf, NULL), GC_OK);
  CHECK(strlen(buf) >= 5);
  CHECK_STATUS(gc_commands_json(NULL, 0, &n), GC_OK);
  CHECK(n > 1000);
  {
    char *all = malloc(n + 1);
    CHECK_STATUS(gc_commands_json(all, n + 1, NULL), GC_OK);
    CHECK(strstr(all, "\"name\":\"schedule_callback\"") != NULL);
    free(all);
  }

  /* bad configurations name the setting */
  {
    gc_config cfg;
    memset(&cfg, 0, sizeof cfg);
    CHECK_STATUS(gc_client_connect(&cfg, &client), GC_ERR_NULL_ARGUMENT);
    cfg.brokers = "nonsense://x";
    CHECK_STATUS(gc_client_connect(&cfg, &client), GC_ERR_CONFIG);
    gc_last_error(buf, sizeof buf, NULL);
    CHECK(strstr(buf, "brokers") != NULL);
    cfg.brokers = "tcp://127.0.0.1:1";
    cfg.connect_timeout_ms = 300;
    CHECK_STATUS(gc_client_connect(&cfg, &client), GC_ERR_BROKER_UNREACHABLE);
    CHECK(client == NULL);
    CHECK_STATUS(gc_client_connect_toml("bogus = 1", &client), GC_ERR_CONFIG);
    CHECK_STATUS(gc_client_connect_json("{\"brokers\": 5}", &client), GC_ERR_CONFIG);
    CHECK_STATUS(gc_client_connect_toml("brokers = [\"tcp://127.0.0.1:1\"]\nconnect_timeout_ms = 200\nbroker_passcode = \"hunter2\"", &client),
                 GC_ERR_BROKER_UNREACHABLE);
    gc_last_error(buf, sizeof buf, NULL);
    CHECK(strstr(buf, "hunter2") == NULL);
  }
}

/* ---- a call flow through the broker and the peer ---------------------- */

#define MAX_SEEN 4096

struct seen {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  gc_client *client;
  gc_agent *agent;
  pthread_t thread;
  int threads_differ;
  int count;
  gc_event_kind kinds[MAX_SEEN];
  char alerting_dialog[64];
  gc_status reentrant_close, reentrant_set, borrowed_free, answer_status;
  char answer_state[32];
  const gc_event *borrowed;
  gc_event *kept;
  int closed_seen, after_closed;
  int status_bar;
  double last_status_bar_at;
};

static void on_event(void *userdata, const gc_event *ev) {
  struct seen *s = userdata;
  gc_event_kind kind;
  char buf[256];
  if (gc_event_get_kind(ev, &kind) != GC_OK) return;
  pthread_mutex_lock(&s->lock);
  if (s->count == 0) s->thread = pthread_self();
  else if (!pthread_equal(s->thread, pthread_self())) s->threads_differ = 1;
  if (s->closed_seen) s->after_closed = 1;
  if (s->count < MAX_SEEN) s->kinds[s->count] = kind;
  s->count++;
  pthread_mutex_unlock(&s->lock);

  if (kind == GC_EVENT_PRINT_STATUS_BAR) {
    pthread_mutex_lock(&s->lock);
    s->status_bar++;
    s->last_status_bar_at = now_s();
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
    return;
  }
  if (kind == GC_EVENT_INBOUND_CALL &&
      gc_event_field(ev, "state", buf, sizeof buf, NULL) == GC_OK &&
      strcmp(buf, "ALERTING") == 0) {
    char dialog[64];
    gc_event *reply = NULL;
    gc_status st = gc_event_field(ev, "dialog_id", dialog, sizeof dialog, NULL);
    /* Calling back into the API from the callback: */
    gc_status rc = gc_client_close(s->client);
    gc_status rs = gc_client_set_callback(s->client, NULL, NULL);
    gc_status rf = gc_event_free((gc_event *)ev);
    gc_event *kept = NULL;
    gc_event_clone(ev, &kept);
    /* ... and a command from the callback is allowed. */
    gc_status ra = st == GC_OK ? gc_agent_answer(s->agent, dialog, &reply) : st;
    pthread_mutex_lock(&s->lock);
    snprintf(s->alerting_dialog, sizeof s->alerting_dialog, "%s", dialog);
    s->reentrant_close = rc;
    s->reentrant_set = rs;
    s->borrowed_free = rf;
    s->borrowed = ev;
    s->kept = kept;
    s->answer_status = ra;
    if (reply) {
      gc_event_field(reply, "state", s->answer_state, sizeof s->answer_state, NULL);
      gc_event_free(reply);
    }
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
  }
  if (kind == GC_EVENT_STATUS &&
      gc_event_field(ev, "status", buf, sizeof buf, NULL) == GC_OK &&
      strcmp(buf, "closed") == 0) {
    pthread_mutex_lock(&s->lock);
    s->closed_seen = 1;
    pthread_mutex_unlock(&s->lock);
  }
}

static int wait_until(struct seen *s, int (*done)(struct seen *), double timeout_s) {
  struct timespec until;
  int ok;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += (time_t)timeout_s;
  pthread_mutex_lock(&s->lock);
  while (!(ok = done(s))) {
    if (pthread_cond_timedwait(&s->cond, &s->lock, &until) != 0) {
      ok = done(s);
      break;
    }
  }
  pthread_mutex_unlock(&s->lock);
  return ok;
}

static int answered(struct seen *s) { return s->answer_state[0] != 0 || s->answer_status != GC_OK; }
static int burst_target = 0;
static int burst_done(struct seen *s) { return s->status_bar >= burst_target; }

static void test_call_flow(const char *stomp, const char *queue) {
  char brokers[128], dest[128], buf[4096];
  gc_config cfg;
  gc_client *client = NULL;
  gc_agent *agent = NULL;
  gc_event *reply = NULL;
  gc_event_kind kind;
  gc_agent_state astate;
  gc_connection_status st;
  struct seen *s = calloc(1, sizeof *s);
  size_t n;

  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  snprintf(brokers, sizeof brokers, "tcp://%s", stomp);
  snprintf(dest, sizeof dest, "gcclient-c-test-%ld", (long)getpid());
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = brokers;
  cfg.queue = queue;
  cfg.destination = dest;
  cfg.request_timeout_ms = 5000;

  CHECK_STATUS(gc_client_connect(&cfg, &client), GC_OK);
  if (!client) return;
  s->client = client;
  CHECK_STATUS(gc_client_destination(client, buf, sizeof buf, &n), GC_OK);
  CHECK(strcmp(buf, dest) == 0 && n == strlen(dest));
  CHECK_STATUS(gc_client_set_callback(client, on_event, s), GC_OK);
  CHECK_STATUS(gc_client_wait_in_service(client, 10000), GC_OK);
  CHECK_STATUS(gc_client_status(client, &st), GC_OK);
  CHECK(st == GC_STATUS_IN_SERVICE);

  CHECK_STATUS(gc_client_agent(client, "1001", &agent), GC_OK);
  s->agent = agent;
  {
    gc_agent *bad = NULL;
    CHECK_STATUS(gc_client_agent(client, "bad#id", &bad), GC_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);
    /* issue 24: the C ABI accepted ids with `|` and `\n`, which the core refuses */
    CHECK_STATUS(gc_client_agent(client, "bad|id", &bad), GC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(gc_client_agent(client, "bad\nid", &bad), GC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(gc_client_agent(client, " 1001", &bad), GC_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);
  }
  CHECK_STATUS(gc_agent_id(agent, buf, sizeof buf, NULL), GC_OK);
  CHECK(strcmp(buf, "1001") == 0);
  CHECK_STATUS(gc_agent_get_cached_state(agent, &astate), GC_OK);
  CHECK(astate == GC_AGENT_STATE_NONE);

  /* GC's error reply comes back as an event with GC_ERR_GC */
  CHECK_STATUS(gc_agent_login(agent, AGENT_PW, "0000", &reply), GC_ERR_GC);
  CHECK(reply != NULL);
  if (reply) {
    CHECK_STATUS(gc_event_get_kind(reply, &kind), GC_OK);
    CHECK(kind == GC_EVENT_ERROR);
    CHECK_STATUS(gc_event_error_code(reply, buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "WRONG_EXTENSION") == 0);
    CHECK_STATUS(gc_event_free(reply), GC_OK);
    CHECK_STATUS(gc_event_free(reply), GC_ERR_INVALID_HANDLE);
  }

  /* login: the reply is the state event */
  CHECK_STATUS(gc_agent_login(agent, AGENT_PW, "5001", &reply), GC_OK);
  CHECK(reply != NULL);
  if (reply) {
    CHECK_STATUS(gc_event_get_kind(reply, &kind), GC_OK);
    CHECK(kind == GC_EVENT_AGENT_STATE);
    CHECK_STATUS(gc_event_kind_name(reply, buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "agent_state") == 0);
    CHECK_STATUS(gc_event_agent(reply, buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "1001") == 0);
    CHECK_STATUS(gc_event_field(reply, "state", buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "NOT_READY") == 0);
    CHECK_STATUS(gc_event_field(reply, "reason_code_id", buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "-1") == 0);
    CHECK_STATUS(gc_event_field(reply, "no_such_field", buf, sizeof buf, NULL), GC_ERR_NOT_FOUND);
    CHECK_STATUS(gc_event_raw(reply, buf, sizeof buf, NULL), GC_OK);
    CHECK(strncmp(buf, "1001#State#NOT_READY#", 21) == 0);
    CHECK_STATUS(gc_event_to_json(reply, buf, sizeof buf, NULL), GC_OK);
    CHECK(strstr(buf, "\"state\":\"NOT_READY\"") != NULL);
    CHECK(strstr(buf, AGENT_PW) == NULL);
    gc_event_free(reply);
  }
  CHECK_STATUS(gc_agent_get_cached_state(agent, &astate), GC_OK);
  CHECK(astate == GC_AGENT_STATE_NOT_READY);

  /* READY; the peer then rings; the callback answers from the dispatcher */
  CHECK_STATUS(gc_agent_make_ready(agent, NULL), GC_OK);
  CHECK(wait_until(s, answered, 10));
  pthread_mutex_lock(&s->lock);
  CHECK(s->answer_status == GC_OK);
  CHECK(strcmp(s->answer_state, "ACTIVE") == 0);
  CHECK(s->reentrant_close == GC_ERR_REENTRANT);
  CHECK(s->reentrant_set == GC_ERR_REENTRANT);
  CHECK(s->borrowed_free == GC_ERR_INVALID_ARGUMENT);
  CHECK(s->kept != NULL);
  pthread_mutex_unlock(&s->lock);
  /* the clone outlives the callback */
  CHECK_STATUS(gc_event_field(s->kept, "dialog_id", buf, sizeof buf, NULL), GC_OK);
  CHECK(strcmp(buf, s->alerting_dialog) == 0);
  CHECK_STATUS(gc_event_free(s->kept), GC_OK);

  CHECK_STATUS(gc_agent_release(agent, s->alerting_dialog, &reply), GC_OK);
  if (reply) {
    CHECK_STATUS(gc_event_field(reply, "state", buf, sizeof buf, NULL), GC_OK);
    CHECK(strcmp(buf, "DROP") == 0);
    gc_event_free(reply);
  }

  /* the generic function reaches every command */
  {
    const char *args[] = {"7"};
    const char *bad[] = {"55,5"};
    const char *too_many[] = {"a", "b"};
    CHECK_STATUS(gc_agent_command(agent, "make_not_ready_with_reason", args, 1, 3000, &reply), GC_OK);
    if (reply) {
      CHECK_STATUS(gc_event_field(reply, "reason_code_id", buf, sizeof buf, NULL), GC_OK);
      CHECK(strcmp(buf, "7") == 0);
      gc_event_free(reply);
    }
    CHECK_STATUS(gc_agent_command(agent, "GetState", NULL, 0, 0, &reply), GC_OK);
    CHECK(reply != NULL);
    gc_event_free(reply);
    CHECK_STATUS(gc_agent_command(agent, "no_such_command", NULL, 0, 0, &reply), GC_ERR_UNKNOWN_COMMAND);
    CHECK_STATUS(gc_agent_command(agent, "make_call", bad, 1, 0, &reply), GC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(gc_agent_command(agent, "make_call", too_many, 2, 0, &reply), GC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(gc_agent_command(agent, "make_call", NULL, 1, 0, &reply), GC_ERR_NULL_ARGUMENT);
    /* a command the peer does not script: GC's error */
    CHECK_STATUS(gc_agent_command(agent, "get_queue_list", NULL, 0, 0, &reply), GC_ERR_GC);
    gc_event_free(reply);
    CHECK_STATUS(gc_agent_make_call(agent, "bad,number", &reply), GC_ERR_INVALID_ARGUMENT);
    CHECK(reply == NULL);
  }

  /* throughput of events broker -> dispatcher -> C callback */
  {
    const char *burst = getenv("GCCLIENT_TEST_BURST");
    const int N = burst ? atoi(burst) : 2000;
    char number[32];
    double t0, t1;
    snprintf(number, sizeof number, "burst-%d", N);
    burst_target = N;
    t0 = now_s();
    CHECK_STATUS(gc_agent_make_call(agent, number, &reply), GC_OK);
    gc_event_free(reply);
    CHECK(wait_until(s, burst_done, 30));
    t1 = s->last_status_bar_at;
    printf("burst: %d events through the broker to the C callback in %.1f ms (%.0f events/s)\n",
           s->status_bar, (t1 - t0) * 1e3, s->status_bar / (t1 - t0));
  }

  /* every callback ran on one thread, in order */
  CHECK(s->threads_differ == 0);
  {
    uint64_t dropped = 1;
    CHECK_STATUS(gc_client_dropped_events(client, &dropped), GC_OK);
    CHECK(dropped == 0);
  }

  /* close: the callback sees "closed" last and never runs again */
  CHECK_STATUS(gc_client_close(client), GC_OK);
  CHECK(s->closed_seen == 1);
  /* every callback has returned: the event lent to one is gone */
  CHECK_STATUS(gc_event_get_kind(s->borrowed, &kind), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_close(client), GC_OK);
  CHECK_STATUS(gc_client_status(client, &st), GC_OK);
  CHECK(st == GC_STATUS_CLOSED);
  CHECK_STATUS(gc_agent_make_ready(agent, &reply), GC_ERR_CLOSED);
  CHECK_STATUS(gc_client_set_callback(client, on_event, s), GC_ERR_CLOSED);
  CHECK_STATUS(gc_client_free(client), GC_OK);
  CHECK_STATUS(gc_client_status(client, &st), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_client_free(client), GC_ERR_INVALID_HANDLE);
  CHECK_STATUS(gc_agent_get_state(agent, &reply), GC_ERR_CLOSED);
  CHECK_STATUS(gc_agent_free(agent), GC_OK);
  CHECK_STATUS(gc_agent_free(agent), GC_ERR_INVALID_HANDLE);
  CHECK(s->after_closed == 0);

  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->cond);
  free(s);
}

/* configuration as TOML and JSON, freeing a client that has a callback */
static void noop(void *userdata, const gc_event *event) {
  (void)event;
  ++*(int *)userdata;
}

static void test_text_configs(const char *stomp, const char *queue) {
  char text[512];
  gc_client *client = NULL;
  int calls = 0;
  snprintf(text, sizeof text, "brokers = [\"tcp://%s\"]\nqueue = \"%s\"\n", stomp, queue);
  CHECK_STATUS(gc_client_connect_toml(text, &client), GC_OK);
  CHECK_STATUS(gc_client_set_callback(client, noop, &calls), GC_OK);
  CHECK_STATUS(gc_client_wait_in_service(client, 10000), GC_OK);
  CHECK_STATUS(gc_client_free(client), GC_OK);
  CHECK(calls >= 1); /* at least the final "closed" status */
  snprintf(text, sizeof text, "{\"brokers\": [\"tcp://%s\"], \"queue\": \"%s\"}", stomp, queue);
  client = NULL;
  CHECK_STATUS(gc_client_connect_json(text, &client), GC_OK);
  CHECK_STATUS(gc_client_wait_in_service(client, 10000), GC_OK);
  CHECK_STATUS(gc_client_free(client), GC_OK);
}

/* ---- issue 24: every log record at TRACE, and no password in any ------ */

struct log_capture {
  pthread_mutex_t lock;
  char *text;
  size_t len, cap;
  size_t records;
  gc_status reentrant; /* gc_log_set_callback called from the callback */
};

static struct log_capture logs = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0, 0, GC_OK};

static void append(struct log_capture *c, const char *s) {
  size_t n = strlen(s);
  if (c->len + n + 2 > c->cap) {
    size_t cap = (c->cap + n + 2) * 2;
    char *grown = realloc(c->text, cap);
    if (!grown) return;
    c->text = grown;
    c->cap = cap;
  }
  memcpy(c->text + c->len, s, n);
  c->len += n;
  c->text[c->len++] = '\n';
  c->text[c->len] = 0;
}

static void on_log(void *userdata, gc_log_level level, const char *target, const char *message) {
  struct log_capture *c = userdata;
  int first;
  (void)level;
  pthread_mutex_lock(&c->lock);
  first = c->records++ == 0;
  append(c, target);
  append(c, message);
  pthread_mutex_unlock(&c->lock);
  if (first) c->reentrant = gc_log_set_callback(on_log, c, GC_LOG_TRACE);
}

static void start_log_capture(void) {
  CHECK_STATUS(gc_log_set_callback(on_log, &logs, GC_LOG_TRACE), GC_OK);
}

/* A client whose broker URL carries a login and passcode (the test broker
 * accepts any), so the passcode goes through connect and close. */
static void test_url_credentials(const char *stomp, const char *queue) {
  char brokers[256];
  gc_config cfg;
  gc_client *client = NULL;
  snprintf(brokers, sizeof brokers, "tcp://gc:%s@%s", BROKER_PW, stomp);
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = brokers;
  cfg.queue = queue;
  CHECK_STATUS(gc_client_connect(&cfg, &client), GC_OK);
  CHECK_STATUS(gc_client_wait_in_service(client, 10000), GC_OK);
  CHECK_STATUS(gc_client_free(client), GC_OK);
}

static void check_log_capture(void) {
  CHECK_STATUS(gc_log_set_callback(NULL, NULL, GC_LOG_OFF), GC_OK);
  pthread_mutex_lock(&logs.lock);
  CHECK(logs.records > 0);
  CHECK(logs.reentrant == GC_ERR_REENTRANT);
  /* the capture saw the commands that carried the password */
  CHECK(logs.text && strstr(logs.text, "sent login agent=1001"));
  CHECK(logs.text && strstr(logs.text, "gcclient::session::engine\nevent ")); /* the TRACE record of each event */
  CHECK(logs.text && strstr(logs.text, AGENT_PW) == NULL);
  CHECK(logs.text && strstr(logs.text, BROKER_PW) == NULL);
  free(logs.text);
  logs.text = NULL;
  pthread_mutex_unlock(&logs.lock);
}

/* ---- issue 24: two clients whose callbacks close each other ------------ */

struct rendezvous {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int inside; /* callbacks that reached the rendezvous */
  int done;   /* callbacks whose close returned */
};

struct pair {
  struct rendezvous *r;
  gc_client *other;
  int entered;
  gc_status close_status;
};

static void close_other(void *userdata, const gc_event *ev) {
  struct pair *p = userdata;
  struct rendezvous *r = p->r;
  gc_event_kind kind;
  struct timespec until;
  if (gc_event_get_kind(ev, &kind) != GC_OK || kind != GC_EVENT_AGENT_STATE) return;
  pthread_mutex_lock(&r->lock);
  if (p->entered) {
    pthread_mutex_unlock(&r->lock);
    return;
  }
  p->entered = 1;
  /* Both callbacks are running before either closes the other: were close
     to wait for the other's dispatcher thread, each would wait forever. */
  r->inside++;
  pthread_cond_broadcast(&r->cond);
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 10;
  while (r->inside < 2 && pthread_cond_timedwait(&r->cond, &r->lock, &until) == 0) {
  }
  pthread_mutex_unlock(&r->lock);
  gc_status st = gc_client_close(p->other);
  pthread_mutex_lock(&r->lock);
  p->close_status = st;
  r->done++;
  pthread_cond_broadcast(&r->cond);
  pthread_mutex_unlock(&r->lock);
}

static void test_callbacks_close_each_other(const char *stomp, const char *queue) {
  char brokers[128];
  gc_config cfg;
  gc_client *a = NULL, *b = NULL;
  gc_agent *aa = NULL, *ab = NULL;
  gc_event *reply = NULL;
  struct rendezvous r;
  struct pair pa, pb;
  struct timespec until;
  int ok = 1;

  snprintf(brokers, sizeof brokers, "tcp://%s", stomp);
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = brokers;
  cfg.queue = queue;
  CHECK_STATUS(gc_client_connect(&cfg, &a), GC_OK);
  CHECK_STATUS(gc_client_connect(&cfg, &b), GC_OK);
  if (!a || !b) return;
  CHECK_STATUS(gc_client_wait_in_service(a, 10000), GC_OK);
  CHECK_STATUS(gc_client_wait_in_service(b, 10000), GC_OK);
  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.lock, NULL);
  pthread_cond_init(&r.cond, NULL);
  memset(&pa, 0, sizeof pa);
  memset(&pb, 0, sizeof pb);
  pa.r = pb.r = &r;
  pa.other = b;
  pb.other = a;
  CHECK_STATUS(gc_client_set_callback(a, close_other, &pa), GC_OK);
  CHECK_STATUS(gc_client_set_callback(b, close_other, &pb), GC_OK);
  CHECK_STATUS(gc_client_agent(a, "2001", &aa), GC_OK);
  CHECK_STATUS(gc_client_agent(b, "2002", &ab), GC_OK);
  /* Each reply reaches its client's callback too. */
  CHECK_STATUS(gc_agent_get_state(aa, &reply), GC_OK);
  gc_event_free(reply);
  reply = NULL;
  CHECK_STATUS(gc_agent_get_state(ab, &reply), GC_OK);
  gc_event_free(reply);
  reply = NULL;
  clock_gettime(CLOCK_REALTIME, &until);
  until.tv_sec += 20;
  pthread_mutex_lock(&r.lock);
  while (r.done < 2) {
    if (pthread_cond_timedwait(&r.cond, &r.lock, &until) != 0) {
      ok = r.done == 2;
      break;
    }
  }
  pthread_mutex_unlock(&r.lock);
  CHECK(ok);
  if (!ok) {
    /* Both dispatcher threads are stuck: freeing would hang too. */
    fprintf(stderr, "callbacks closing each other deadlocked\n");
    _exit(1);
  }
  CHECK(pa.close_status == GC_OK);
  CHECK(pb.close_status == GC_OK);
  /* After close, every call is GC_ERR_CLOSED, never GC_ERR_TRANSPORT. */
  CHECK_STATUS(gc_agent_get_state(aa, &reply), GC_ERR_CLOSED);
  CHECK_STATUS(gc_agent_make_ready(ab, &reply), GC_ERR_CLOSED);
  CHECK_STATUS(gc_client_set_callback(a, close_other, &pa), GC_ERR_CLOSED);
  CHECK_STATUS(gc_client_free(a), GC_OK);
  CHECK_STATUS(gc_client_free(b), GC_OK);
  CHECK_STATUS(gc_agent_free(aa), GC_OK);
  CHECK_STATUS(gc_agent_free(ab), GC_OK);
  pthread_mutex_destroy(&r.lock);
  pthread_cond_destroy(&r.cond);
}

/* ---- issue 24: absurd settings are config errors, never an abort ------ */

static void test_absurd_settings(void) {
  gc_config cfg;
  gc_client *client = NULL;
  char buf[512];
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = "tcp://127.0.0.1:1";
  cfg.event_buffer = 0xFFFFFFFFu; /* aborted the process: 1 TB allocation */
  CHECK_STATUS(gc_client_connect(&cfg, &client), GC_ERR_CONFIG);
  CHECK(client == NULL);
  gc_last_error(buf, sizeof buf, NULL);
  CHECK(strstr(buf, "event_buffer") != NULL);
  CHECK_STATUS(gc_client_start(&cfg, &client), GC_ERR_CONFIG);
  CHECK_STATUS(gc_client_connect_json("{\"brokers\": [\"tcp://127.0.0.1:1\"], \"event_buffer\": 4611686018427387904}", &client),
               GC_ERR_CONFIG);
  CHECK_STATUS(gc_client_connect_json("{\"brokers\": [\"tcp://127.0.0.1:1\"], \"backoff_max_ms\": 0}", &client),
               GC_ERR_CONFIG);
  gc_last_error(buf, sizeof buf, NULL);
  CHECK(strstr(buf, "backoff_max_ms") != NULL);
  CHECK_STATUS(gc_client_connect_json("{\"brokers\": [\"tcp://u:hunter2@127.0.0.1:0\"]}", &client),
               GC_ERR_CONFIG);
  gc_last_error(buf, sizeof buf, NULL);
  CHECK(strstr(buf, "hunter2") == NULL);
  CHECK(client == NULL);
}

/* ---- issue 24: a client that starts before its broker ------------------ */

static void test_start_returns_at_once(void) {
  gc_config cfg;
  gc_client *client = NULL;
  gc_connection_status st;
  double began = now_s();
  memset(&cfg, 0, sizeof cfg);
  cfg.brokers = "tcp://127.0.0.1:1"; /* nothing listens there */
  cfg.connect_timeout_ms = 100;
  CHECK_STATUS(gc_client_start(&cfg, &client), GC_OK);
  CHECK(now_s() - began < 1.0);
  CHECK_STATUS(gc_client_status(client, &st), GC_OK);
  CHECK(st == GC_STATUS_CONNECTING);
  CHECK_STATUS(gc_client_free(client), GC_OK);
}

int main(void) {
  const char *stomp = getenv("GCCLIENT_TEST_STOMP");
  const char *queue = getenv("GCCLIENT_TEST_QUEUE");
  start_log_capture();
  test_misuse();
  test_absurd_settings();
  test_start_returns_at_once();
  if (stomp && queue) {
    test_call_flow(stomp, queue);
    test_text_configs(stomp, queue);
    test_callbacks_close_each_other(stomp, queue);
    test_url_credentials(stomp, queue);
    check_log_capture();
  } else {
    fprintf(stderr, "GCCLIENT_TEST_STOMP/GCCLIENT_TEST_QUEUE not set: broker tests skipped\n");
    failures++;
  }
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("all C checks passed\n");
  return 0;
}
