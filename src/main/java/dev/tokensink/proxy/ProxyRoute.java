package dev.tokensink.proxy;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.ProviderId;

/**
 * The parts of a proxy request URI {@code /{agent}/{provider}/{upstream path}[?query]}.
 *
 * @param rest the upstream path (from its leading {@code /}, possibly empty) and query, as sent
 */
public record ProxyRoute(AgentId agent, ProviderId provider, String rest) {

  /**
   * @throws ProxyError 404 when the URI does not have the two leading segments; {@link
   *     dev.tokensink.model.InvalidIdException} (400) when a segment is not a valid id
   */
  public static ProxyRoute parse(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      throw usage();
    }
    int a = uri.indexOf('/', 1);
    if (a < 0) {
      throw usage();
    }
    int end = a + 1;
    while (end < uri.length() && uri.charAt(end) != '/' && uri.charAt(end) != '?') {
      end++;
    }
    String agent = uri.substring(1, a);
    String provider = uri.substring(a + 1, end);
    if (agent.isEmpty() || provider.isEmpty()) {
      throw usage();
    }
    return new ProxyRoute(AgentId.of(agent), ProviderId.of(provider), uri.substring(end));
  }

  private static ProxyError usage() {
    return new ProxyError(
        404,
        "NOT_FOUND",
        "the credential proxy serves /{agent}/{provider}/{path of the provider's API},"
            + " e.g. /main/anthropic/v1/messages; set your SDK's base URL to"
            + " http://127.0.0.1:9092/{agent}/{provider}");
  }
}
