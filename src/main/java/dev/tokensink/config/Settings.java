package dev.tokensink.config;

import dev.tokensink.model.AgentId;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code tokensink.*} key, typed, with its default: the one configuration of {@code serve}
 * (Quarkus maps it and injects it) and of the CLI ({@link SettingsLoader} builds the same mapping
 * from a plain {@code main}). A value that does not convert fails start-up with a message naming
 * the key. docs/configuration.md lists every key; {@code ConfigurationDocTest} fails when the two
 * differ.
 *
 * <p>To add a key: add a method here (Javadoc, {@code @WithDefault} unless absence means
 * something), and a row in docs/configuration.md. Durations take {@code 250ms}, {@code 30s}, {@code
 * 5m}, {@code 12h}, {@code 365d} or ISO-8601; sizes take {@link MemorySize} ({@code 4194304},
 * {@code 512KiB}, {@code 4MiB}, {@code 4M}).
 */
@ConfigMapping(prefix = "tokensink")
public interface Settings {

  /**
   * The state dir (docs/rules.md §1): {@code --state-dir}, else {@code TOKENSINK_STATE_DIR}, else
   * {@code ~/.tokensink}. Its {@code config.yaml} is one of the configuration sources.
   */
  @WithDefault("${user.home}/.tokensink")
  Path stateDir();

  /** The agent of requests and commands that name none. */
  @WithDefault("main")
  AgentId defaultAgent();

  /** Profile order ({@code auth.order}). */
  Auth auth();

  /** OAuth2 providers by id; one of the same id replaces a built-in one. */
  Map<String, Provider> providers();

  /** Who may call the service, by caller id (docs/security.md). */
  Map<String, Caller> callers();

  /** The gRPC transport. */
  Grpc grpc();

  /** Health, metrics and the status page (mapped onto Quarkus' HTTP server). */
  Http http();

  /** Audit log. */
  Audit audit();

  /**
   * Serve from a state dir other users can read (also {@code serve --allow-insecure-state-dir}).
   */
  @WithDefault("false")
  boolean allowInsecureStateDir();

  /** The credential store. */
  Store store();

  /**
   * {@code kid:BASE64[,kid2:BASE64]}: AES keys that encrypt secrets in PostgreSQL; the first
   * encrypts, all decrypt.
   */
  Optional<String> encryptionKey();

  /** How long a writer waits for an agent's lock. */
  @WithDefault("10s")
  Duration lockTimeout();

  /** The periodic jobs of the service. */
  Jobs jobs();

  /** Refreshing OAuth tokens (docs/rules.md §2). */
  Refresh refresh();

  /** The credential proxy (docs/proxy.md). */
  Proxy proxy();

  /** The status page on the HTTP port (docs/api.md "Status page"). */
  Status status();

  /**
   * Cooldown ladders, the usage-limit probe and the failure window (docs/cooldowns.md,
   * docs/rules.md §4). Values are checked together by {@code cooldown.CooldownConfig} at start-up
   * (a max below its initial, steps that get shorter), so they are read as text here.
   */
  Cooldown cooldown();

  /** {@code tokensink.cooldown.*}. */
  interface Cooldown {
    /** {@code tokensink} (the defaults) or {@code openclaw} (OpenClaw's old ladder). */
    @WithDefault("tokensink")
    String preset();

    /** {@code rate_limit}: 30s doubling to 24h. */
    LadderKeys rateLimit();

    /** {@code overloaded}: 30s, 60s, then 5m. */
    LadderKeys overloaded();

    /** {@code auth} (an OAuth token refused after a forced refresh): 30s, 60s, then 5m. */
    LadderKeys auth();

    /** {@code unknown} ({@code OTHER_ERROR}): 30s, 60s, then 5m. */
    LadderKeys unknown();

    /** {@code model_not_found}: 30s, 60s, then 5m. */
    LadderKeys modelNotFound();

    /** {@code billing}: 10m doubling to 24h. */
    LadderKeys billing();

    /** {@code auth_permanent} (a refused key or pasted token): 10m doubling to 1h. */
    LadderKeys authPermanent();

    /** {@code usage_limit}: blocks and probes. */
    UsageLimit usageLimit();

    /** A provider's {@code retry_after}. */
    RetryAfter retryAfter();

    /** Failure counts reset after this long without a failure. */
    @WithDefault("24h")
    String failureWindow();

    /** One reason's ladder: {@code initial} (then doubling) or {@code steps}, up to {@code max}. */
    interface LadderKeys {
      /** The first window; the ladder then doubles. */
      Optional<String> initial();

      /** The first windows, in order; then the last doubles. */
      Optional<List<@WithConverter(Trimmed.class) String>> steps();

      /** The longest window. */
      Optional<String> max();
    }

    /** {@code tokensink.cooldown.usage-limit.*}. */
    interface UsageLimit {
      /** How long a {@code USAGE_LIMIT} without {@code retry_after} blocks. */
      @WithName("default")
      @WithDefault("1h")
      String defaultBlock();

      /** The longest {@code USAGE_LIMIT} block. */
      @WithDefault("7d")
      String max();

      /** One request per this interval may use a blocked profile (the half-open probe). */
      @WithDefault("5m")
      String probeInterval();
    }

    /** {@code tokensink.cooldown.retry-after.*}. */
    interface RetryAfter {
      /** A longer {@code retry_after} is cut to this. */
      @WithDefault("24h")
      String max();
    }
  }

  /** {@code tokensink.auth.*}. */
  interface Auth {
    /** Configured profile order by provider: a list of profile ids. */
    Map<String, List<@WithConverter(Trimmed.class) String>> order();
  }

  /**
   * {@code tokensink.providers.<id>.*}: one OAuth2 provider, turned into {@link ProviderSettings}.
   */
  interface Provider {
    /** The authorization endpoint (required for login). */
    Optional<String> authorizeUrl();

    /** The token endpoint (required). */
    Optional<String> tokenUrl();

    /** The OAuth client id (required). */
    Optional<String> clientId();

    /** The client secret of a confidential client. */
    Optional<String> clientSecret();

    /** Scopes requested at login. */
    Optional<List<@WithConverter(Trimmed.class) String>> scopes();

    /**
     * Where the browser is sent back to; {@code http://127.0.0.1:1455/auth/callback} when unset.
     */
    Optional<String> redirectUri();

    /** Extra query parameters of the authorize URL. */
    Map<String, String> authorizeParams();

    /** How token requests are encoded: {@code form} or {@code json}. */
    @WithDefault("form")
    String tokenRequest();

    /**
     * A JSON pointer ({@code /a/b}) or claim name in the access token, else the id_token, that
     * holds the account id.
     */
    Optional<String> accountIdClaim();

    /** The RFC 7009 revocation endpoint used by {@code logout --revoke}. */
    Optional<String> revokeUrl();

    /** How long the provider still accepts a just-rotated refresh token (docs/rules.md §2). */
    @WithDefault("0s")
    Duration refreshGrace();

    /**
     * The RFC 7662 endpoint that tells whether a refresh token is still active, asked after a
     * refresh whose answer was lost (docs/rules.md §2).
     */
    Optional<String> introspectionUrl();

    /**
     * The provider's API base URL the credential proxy forwards to (overrides the built-in one).
     */
    Optional<String> apiBaseUrl();

    /**
     * The header the credential proxy puts the credential in, {@code name: value} with {@code
     * {secret}} (overrides the built-in one).
     */
    Optional<String> credentialHeader();
  }

  /** {@code tokensink.callers.<id>.*}: one caller. */
  interface Caller {
    /** Hex SHA-256 of the caller's bearer token. */
    Optional<String> tokenSha256();

    /** The subject of the caller's mTLS client certificate. */
    Optional<String> certSubject();

    /** The agents the caller may use ({@code '*'}: all). */
    Optional<List<@WithConverter(Trimmed.class) String>> agents();
  }

  /** {@code tokensink.grpc.*}. */
  interface Grpc {
    /** The address the gRPC server binds. */
    @WithDefault("127.0.0.1")
    String host();

    /** The gRPC port. */
    @WithDefault("9090")
    int port();

    /** A Unix domain socket to serve on as well (for sidecars). */
    Optional<String> socket();

    /** Mode of the Unix socket: {@code 0600} or {@code 0660}. */
    @WithDefault("0600")
    SocketMode socketMode();

    /** Group the Unix socket is handed to. */
    Optional<String> socketGroup();

    /** Open StreamExpiryEvents streams per caller; more get RESOURCE_EXHAUSTED. */
    @WithDefault("1024")
    PositiveInt maxStreamsPerCaller();

    /**
     * Allow a non-loopback host without callers (also {@code serve --insecure}); logged as a
     * warning.
     */
    @WithDefault("false")
    boolean insecure();
  }

  /** {@code tokensink.http.*}. */
  interface Http {
    /** The address of health and metrics. */
    @WithDefault("127.0.0.1")
    String host();

    /** The port of health and metrics. */
    @WithDefault("9091")
    int port();
  }

  /** {@code tokensink.audit.*}. */
  interface Audit {
    /**
     * An audit line for every GetCredential answer, not only for each credential a caller receives
     * for the first time.
     */
    @WithDefault("false")
    boolean everyAnswer();
  }

  /** {@code tokensink.store.*}. */
  interface Store {
    /** The store backend. */
    @WithDefault("file")
    Backend backend();

    /** Bound of one state file the file store reads, in bytes: 4 MiB. */
    long DEFAULT_MAX_FILE_BYTES = 4L << 20;

    /** A state file larger than this is refused unread. */
    @WithDefault("" + DEFAULT_MAX_FILE_BYTES)
    MemorySize maxFileSize();

    /** Read state files that are symbolic links (refused by default). */
    @WithDefault("false")
    boolean allowSymlinks();

    /** How often the file store looks for changes made by other processes. */
    @WithDefault("250ms")
    Duration watchInterval();

    /** The PostgreSQL store. */
    Postgres postgres();

    /** The two backends. */
    enum Backend {
      FILE,
      POSTGRES
    }
  }

  /** {@code tokensink.store.postgres.*}. */
  interface Postgres {
    /** JDBC URL of the database (required with backend postgres). */
    Optional<String> url();

    /** Database user. */
    Optional<String> username();

    /** Database password. */
    Optional<String> password();

    /**
     * How long a replica stalled inside an update (GC pause, SIGSTOP) keeps the agent's lock; then
     * PostgreSQL ends its session and its late writes are refused (docs/replicas.md).
     */
    @WithDefault("60s")
    Duration lease();
  }

  /** {@code tokensink.status.*}. */
  interface Status {
    /** Refreshes the status page keeps in memory (200 to 100 000). */
    @WithDefault("500")
    int historySize();

    /** Lifetime of a status-page session cookie (when callers are configured). */
    @WithDefault("8h")
    Duration sessionTtl();

    /** This replica's name in the refresh history; {@code $HOSTNAME:pid} when unset. */
    Optional<String> replica();
  }

  /** {@code tokensink.refresh.*}. */
  interface Refresh {
    /** How long a sent refresh waits for its answer (the token client's request timeout). */
    @WithDefault("120s")
    @WithConverter(PositiveDuration.class)
    Duration answerTimeout();

    /** How long a caller waits on a refresh before the still-valid token or UNAVAILABLE. */
    @WithDefault("5s")
    @WithConverter(PositiveDuration.class)
    Duration callerWait();

    /**
     * Proactive refreshes (token-endpoint calls) running at once, at most; a caller's own refresh
     * is never held back by it.
     */
    @WithDefault("16")
    PositiveInt maxInFlight();

    /** Proactive refreshes started in one second, at most (earliest refresh moment first). */
    @WithDefault("200")
    PositiveInt maxPerSecond();
  }

  /** {@code tokensink.proxy.*}. */
  interface Proxy {
    /** Serve the credential proxy. */
    @WithDefault("true")
    boolean enabled();

    /** The address the proxy binds. */
    @WithDefault("127.0.0.1")
    String host();

    /** The proxy's TCP port; 0 picks a free one, -1 serves none (socket only). */
    @WithDefault("9092")
    int port();

    /** A Unix domain socket the proxy listens on as well. */
    Optional<String> socket();

    /** How many other profiles one request may be retried on (0 to 10). */
    @WithDefault("1")
    int maxFailovers();

    /**
     * The largest request body kept in memory, so the request can be retried and its {@code model}
     * read; a larger body streams through without either.
     */
    @WithDefault("4194304")
    MemorySize maxBufferedBody();

    /** Connecting to a provider. */
    @WithDefault("10s")
    Duration connectTimeout();
  }

  /** {@code tokensink.jobs.*}. */
  interface Jobs {
    /** How often proactive refresh, expiry events and the usage flush run. */
    @WithDefault("1s")
    Duration interval();
  }

  /** A caller as the caller check reads it: its id, its keys and its agents. */
  record CallerSettings(String id, String tokenSha256, String certSubject, List<String> agents) {
    public CallerSettings {
      agents = agents == null ? List.of() : List.copyOf(agents);
    }

    /** The caller configured under {@code tokensink.callers.<id>}. */
    public static CallerSettings of(String id, Caller c) {
      return new CallerSettings(
          id, c.tokenSha256().orElse(null), c.certSubject().orElse(null), c.agents().orElse(null));
    }

    @Override
    public String toString() {
      return "CallerSettings[" + id + ", agents=" + agents + "]";
    }
  }
}
