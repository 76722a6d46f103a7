package dev.tokensink.status;

import dev.tokensink.model.AgentId;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileType;

/**
 * "What to do" for a profile's problem: one sentence and, where a command fixes it, that exact
 * command (with the agent and profile filled in). Cooldowns and disabled windows end by themselves
 * (docs/rules.md §4); the text says when, and names the command that routes around the profile.
 *
 * @param command null when nothing is to be run (the window ends by itself)
 */
public record Fix(String text, String command) {

  static Fix of(AgentId agent, Profile p, String state, String reason, String until) {
    String provider = p.provider().value();
    String name = p.id().name();
    String a = " --agent " + agent.value();
    return switch (state) {
      case "reauth_required" -> login(p, a, "The grant is gone (" + reason + "): log in again.");
      case "expired", "expiring", "invalid" -> {
        String why =
            switch (state) {
              case "expired" -> "The credential has expired and cannot refresh";
              case "expiring" -> "The credential expires within 24 h and cannot refresh";
              default -> "The profile has no usable secret (" + reason + ")";
            };
        if (p.type() == ProfileType.OAUTH) {
          yield login(p, a, why + ": log in again.");
        }
        if (p.type() == ProfileType.API_KEY) {
          yield new Fix(
              why + ": store a key (read from stdin).",
              "tokensink models auth add-key --provider " + provider + a + " --profile " + name);
        }
        if (provider.equals("anthropic")) {
          yield new Fix(
              why + ": paste a new setup token (read from stdin).",
              "tokensink models auth setup-token --provider anthropic" + a + " --profile " + name);
        }
        yield new Fix(
            why + ": paste a new token (read from stdin).",
            "tokensink models auth paste-token --provider " + provider + a + " --profile " + name);
      }
      case "disabled" -> {
        if (reason != null
            && reason.startsWith("auth_permanent")
            && p.type() != ProfileType.OAUTH) {
          yield new Fix(
              "The provider refused this key (" + reason + "); store a working key.",
              "tokensink models auth add-key --provider " + provider + a + " --profile " + name);
        }
        yield new Fix(
            "Disabled ("
                + reason
                + ") until "
                + until
                + "; fix it at the provider (billing, plan), or route around it meanwhile.",
            "tokensink models auth order set --provider " + provider + a + " <other profiles>");
      }
      case "cooldown" ->
          new Fix(
              "Cooling down ("
                  + reason
                  + ") until "
                  + until
                  + "; it is used again by itself. To route around it meanwhile:",
              "tokensink models auth order set --provider " + provider + a + " <other profiles>");
      default -> null;
    };
  }

  private static Fix login(Profile p, String agentOpt, String text) {
    String profile = p.id().name().equals("default") ? "" : " --profile " + p.id().name();
    return new Fix(
        text,
        "tokensink models auth login --provider " + p.provider().value() + agentOpt + profile);
  }
}
