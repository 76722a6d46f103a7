package dev.tokensink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokensink.api.v1.Credential;
import dev.tokensink.api.v1.CredentialType;
import dev.tokensink.api.v1.GetCredentialRequest;
import dev.tokensink.config.Settings;
import dev.tokensink.store.StoreJson;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code secrets resolve}: OpenClaw's exec SecretRef provider, protocol version 1 (docs/proxy.md).
 * Reads {@code {"protocolVersion":1,"provider":…,"ids":[…]}} on stdin, asks the running service for
 * each id {@code agent/provider[/profile]} (gRPC over TCP or its Unix socket, with the caller token
 * of {@code TOKENSINK_TOKEN}, so the service's authorization and audit apply), and writes {@code
 * {"protocolVersion":1,"values":{…},"errors":{…}}} on stdout and nothing else. Static credentials
 * only: an OAuth profile's token rotates, so it is answered with an error pointing to the
 * credential proxy. Exit 0 unless the request itself is malformed (then 2, message on stderr).
 */
@Command(name = "secrets", description = "Secrets for other tools (OpenClaw's exec SecretRef).")
final class SecretsCommand {
  static final String TOKEN_ENV = "TOKENSINK_TOKEN";
  private static final int MAX_REQUEST_BYTES = 1 << 20;
  private static final int MAX_IDS = 256;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}");

  @Command(
      name = "resolve",
      description =
          "OpenClaw exec SecretRef provider (protocol 1): request on stdin, values on stdout.")
  static final class Resolve implements Runnable {
    @Mixin Opts.StateDir stateDir;

    @Option(
        names = "--service",
        paramLabel = "ADDR",
        description =
            "The running service: host:port or unix:/path (default: tokensink.grpc.socket if set,"
                + " else tokensink.grpc.host:port)")
    String service;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long one id may take at the service (default: 4s)")
    String timeout;

    private final Cli cli;

    Resolve(Cli cli) {
      this.cli = cli;
    }

    @Override
    public void run() {
      List<String> ids = request(readStdin());
      ObjectNode values = StoreJson.MAPPER.createObjectNode();
      ObjectNode errors = StoreJson.MAPPER.createObjectNode();
      List<String> valid = new ArrayList<>();
      for (String id : ids) {
        String[] parts = id.split("/", -1);
        if (!ID.matcher(id).matches() || parts.length < 2 || parts.length > 3) {
          error(errors, id, "INVALID_ID", "ids are agent/provider or agent/provider/profile");
        } else {
          valid.add(id);
        }
      }
      if (!valid.isEmpty()) {
        Settings settings = cli.settings(stateDir.value);
        String addr = service != null ? service : ServiceChannel.defaultAddress(settings);
        java.time.Duration deadline;
        try {
          deadline =
              timeout == null
                  ? java.time.Duration.ofSeconds(4)
                  : dev.tokensink.config.Durations.parse(timeout);
        } catch (RuntimeException e) {
          throw CliException.badInput("--timeout: " + e.getMessage());
        }
        try (ServiceChannel ch = ServiceChannel.open(addr, cli.env().get(TOKEN_ENV), deadline)) {
          for (String id : valid) {
            resolve(ch, id, values, errors);
          }
        } catch (IllegalArgumentException e) {
          throw CliException.badInput("--service: " + e.getMessage());
        }
      }
      ObjectNode out = StoreJson.MAPPER.createObjectNode().put("protocolVersion", 1);
      out.set("values", values);
      if (!errors.isEmpty()) {
        out.set("errors", errors);
      }
      cli.out().println(out.toString());
      cli.out().flush();
    }

    private static void resolve(
        ServiceChannel ch, String id, ObjectNode values, ObjectNode errors) {
      String[] parts = id.split("/", -1);
      GetCredentialRequest.Builder r =
          GetCredentialRequest.newBuilder().setAgent(parts[0]).setProvider(parts[1]);
      if (parts.length == 3) {
        r.setProfileOverride(parts[2]);
      }
      try {
        Credential c = ch.getCredential(r.build());
        if (c.getType() == CredentialType.OAUTH) {
          error(
              errors,
              id,
              "OAUTH_USE_PROXY",
              c.getProfileId()
                  + " is an OAuth profile: its token rotates and must not be copied into"
                  + " configuration; point the provider's baseUrl at the credential proxy"
                  + " (http://127.0.0.1:9092/"
                  + parts[0]
                  + "/"
                  + parts[1]
                  + ")");
        } else {
          values.put(id, c.getSecret());
        }
      } catch (StatusRuntimeException e) {
        String code = e.getStatus().getCode().name();
        String message = e.getStatus().getDescription();
        if (e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE && message == null) {
          message =
              "the tokensink service at " + ch.address() + " is not reachable; is it running?";
        }
        error(errors, id, code, message == null ? code : message);
      }
    }

    private static void error(ObjectNode errors, String id, String code, String message) {
      errors.putObject(id).put("code", code).put("message", message);
    }

    private String readStdin() {
      try {
        char[] buf = new char[8192];
        StringBuilder sb = new StringBuilder();
        int n;
        while ((n = cli.in().read(buf)) >= 0) {
          sb.append(buf, 0, n);
          if (sb.length() > MAX_REQUEST_BYTES) {
            throw CliException.badInput(
                "the request on stdin is larger than " + MAX_REQUEST_BYTES + " bytes");
          }
        }
        return sb.toString();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The ids of a protocol-1 request; a malformed request is bad input (exit 2). */
  static List<String> request(String text) {
    JsonNode root;
    try {
      root = StoreJson.MAPPER.readTree(text);
    } catch (IOException e) {
      throw CliException.badInput(
          "the request on stdin is not JSON; expected"
              + " {\"protocolVersion\":1,\"provider\":\"tokensink\",\"ids\":[\"main/anthropic\"]}");
    }
    if (root == null || !root.isObject()) {
      throw CliException.badInput("the request on stdin must be a JSON object");
    }
    JsonNode version = root.get("protocolVersion");
    if (version == null || !version.isInt() || version.asInt() != 1) {
      throw CliException.badInput(
          "unsupported protocolVersion "
              + (version == null ? "(missing)" : version.toString())
              + "; tokensink speaks protocol version 1");
    }
    JsonNode ids = root.get("ids");
    if (ids == null || !ids.isArray()) {
      throw CliException.badInput("the request has no \"ids\" array");
    }
    if (ids.size() > MAX_IDS) {
      throw CliException.badInput("at most " + MAX_IDS + " ids per request");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode id : ids) {
      if (!id.isTextual()) {
        throw CliException.badInput("every id must be a string such as \"main/anthropic\"");
      }
      out.add(id.asText());
    }
    return new ArrayList<>(out);
  }
}
