package kefu.sdk;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import kefu.sdk.token.StoredToken;
import kefu.sdk.token.TokenPolicy;
import kefu.sdk.token.TokenStore;

/**
 * One app's access token for one client: a cached copy, the shared {@link TokenStore}, and the refresh.
 *
 * <p>Design. A token is used until {@code refreshMargin} before it expires, on the client's clock. Then, or when
 * WeChat rejected it (40001/42001), one caller of this client becomes the leader of a refresh (a "flight") and the
 * others wait for its outcome: one refresh in flight per client, whatever the number of threads. Across processes
 * the leader first looks in the store (another process may have refreshed), then takes the store's refresh lease;
 * without it, it polls the store until the holder has stored the new token (or the lease lapses). The fetched token
 * goes through the store's compare-and-set, so the token every client ends up with is the newest one.
 *
 * <p>Thread-safety: {@code flightLock} guards {@code inFlight} only (held for a few instructions, never across
 * I/O); the leader does its I/O outside it and publishes the outcome through the flight's future. {@code cached}
 * is replaced atomically and is only a shortcut for the store.
 */
final class TokenCache {
  /** Fetches a new token from WeChat; {@code force} asks for a forced refresh (stable tokens). */
  @FunctionalInterface
  interface Fetch {
    Outcome<StoredToken> fetch(boolean force);
  }

  private record Flight(boolean forced, CompletableFuture<Outcome<StoredToken>> outcome) {}

  private static final System.Logger LOG = System.getLogger(TokenCache.class.getName());
  private static final TokenStore.Lease NO_LEASE = () -> { };

  private final String appid;
  private final TokenStore store;
  private final Clock clock;
  private final TokenPolicy policy;
  private final Sleeper sleeper;
  private final Fetch fetch;
  private final AtomicReference<StoredToken> cached = new AtomicReference<>();
  private final ReentrantLock flightLock = new ReentrantLock();
  private Flight inFlight;

  TokenCache(String appid, TokenStore store, Clock clock, TokenPolicy policy, Sleeper sleeper, Fetch fetch) {
    this.appid = appid;
    this.store = store;
    this.clock = clock;
    this.policy = policy;
    this.sleeper = sleeper;
    this.fetch = fetch;
  }

  /** A token good for a call now: the cached one, the store's, or a fresh one. */
  Outcome<StoredToken> current() {
    try {
      return usable(null);
    } catch (StoreFailure e) {
      return e.outcome();
    }
  }

  /** A new token, whatever the cached one: {@code force_refresh} for stable tokens. */
  Outcome<StoredToken> forceRefresh() {
    try {
      return fly(true, null);
    } catch (StoreFailure e) {
      return e.outcome();
    }
  }

  /**
   * WeChat rejected {@code failed} (40001/40014/42001): drop it, here only if it is still the cached one, in the
   * store only if the store still holds it; then a token other than it.
   */
  Outcome<StoredToken> replacing(String failed) {
    try {
      StoredToken before = cached.getAndUpdate(c -> c != null && c.value().equals(failed) ? null : c);
      if (before == null || before.value().equals(failed)) {
        guarded(() -> {
          store.invalidate(appid, failed);
          return null;
        });
      }
      return usable(failed);
    } catch (StoreFailure e) {
      return e.outcome();
    }
  }

  private Outcome<StoredToken> usable(String failed) {
    Instant now = clock.instant();
    StoredToken c = cached.get();
    if (good(c, failed, now)) {
      return Outcome.ok(c);
    }
    Optional<StoredToken> shared = guarded(() -> store.find(appid)).filter(t -> good(t, failed, now));
    if (shared.isPresent()) {
      cached.set(shared.get());
      return Outcome.ok(shared.get());
    }
    return fly(false, failed);
  }

  private boolean good(StoredToken t, String failed, Instant now) {
    return t != null && t.isFreshAt(now, policy.refreshMargin()) && !t.value().equals(failed);
  }

  /** Joins the refresh in flight, or leads one. A forced caller does not settle for an unforced refresh. */
  private Outcome<StoredToken> fly(boolean force, String failed) {
    while (true) {
      Flight flight;
      boolean leader = false;
      flightLock.lock();
      try {
        if (inFlight == null) {
          inFlight = new Flight(force, new CompletableFuture<>());
          leader = true;
        }
        flight = inFlight;
      } finally {
        flightLock.unlock();
      }
      if (leader) {
        return lead(flight, failed);
      }
      Outcome<StoredToken> outcome = await(flight);
      if (force && !flight.forced()) {
        continue;
      }
      if (failed != null && outcome instanceof Outcome.Ok<StoredToken> ok && ok.value().value().equals(failed)) {
        continue;
      }
      return outcome;
    }
  }

  private Outcome<StoredToken> lead(Flight flight, String failed) {
    try {
      Outcome<StoredToken> outcome = refresh(flight.forced(), failed);
      flight.outcome().complete(outcome);
      return outcome;
    } catch (RuntimeException | Error e) {
      flight.outcome().completeExceptionally(e);
      throw e;
    } finally {
      flightLock.lock();
      try {
        inFlight = null;
      } finally {
        flightLock.unlock();
      }
    }
  }

  private static Outcome<StoredToken> await(Flight flight) {
    try {
      return flight.outcome().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** The leader's work: the store, the lease, then WeChat. */
  private Outcome<StoredToken> refresh(boolean force, String failed) {
    for (int polls = 0; ; polls++) {
      if (!force) {
        Optional<StoredToken> shared = fromStore(failed);
        if (shared.isPresent()) {
          return Outcome.ok(shared.get());
        }
      }
      Optional<TokenStore.Lease> lease;
      if (polls < policy.maxPolls()) {
        lease = guarded(() -> store.tryLease(appid, policy.leaseTtl()));
      } else {
        LOG.log(System.Logger.Level.WARNING, "app {0}: the token refresh lease was held for {1} polls;"
            + " refreshing without it", appid, polls);
        lease = Optional.of(NO_LEASE);
      }
      if (lease.isPresent()) {
        try {
          if (!force) {
            // the holder before us may have stored a token between our look and our lease
            Optional<StoredToken> shared = fromStore(failed);
            if (shared.isPresent()) {
              return Outcome.ok(shared.get());
            }
          }
          Outcome<StoredToken> fetched = fetch.fetch(force);
          if (fetched instanceof Outcome.Ok<StoredToken> ok) {
            StoredToken kept = guarded(() -> store.offer(appid, ok.value()));
            cached.set(kept);
            return Outcome.ok(kept);
          }
          return fetched;
        } finally {
          release(lease.get());
        }
      }
      try {
        sleeper.sleep(policy.leasePoll());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.failed(Failure.transport("interrupted while another process refreshed the token", e, false));
      }
    }
  }

  private Optional<StoredToken> fromStore(String failed) {
    Instant now = clock.instant();
    Optional<StoredToken> shared = guarded(() -> store.find(appid)).filter(t -> good(t, failed, now));
    shared.ifPresent(cached::set);
    return shared;
  }

  /** Gives the lease back; if that fails, the lease lapses by its TTL, and the token in hand is still good. */
  private void release(TokenStore.Lease lease) {
    try {
      lease.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "app " + appid + ": releasing the refresh lease failed; it lapses by"
          + " itself after " + policy.leaseTtl(), e);
    }
  }

  /**
   * Runs a call to the store. A store that throws (Redis down) is broken infrastructure, not a bug here: it leaves
   * this class as a {@code -1} failure value with the cause, at the entry points, and reaches the caller as a
   * {@link WxException} like any other failure.
   */
  private <T> T guarded(java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      throw new StoreFailure(store, e);
    }
  }

  /** A store call failed; carried to the entry points of this class only. */
  private static final class StoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreFailure(TokenStore store, RuntimeException cause) {
      super("token store " + store + " failed: " + cause, cause);
    }

    Outcome<StoredToken> outcome() {
      return Outcome.failed(Failure.transport(getMessage(), getCause(), false));
    }
  }
}
