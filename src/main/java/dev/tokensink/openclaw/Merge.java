package dev.tokensink.openclaw;

import dev.tokensink.model.AgentSnapshot;
import dev.tokensink.model.AuthState;
import dev.tokensink.model.Credential;
import dev.tokensink.model.Profile;
import dev.tokensink.model.ProfileId;
import dev.tokensink.model.UsageStats;
import dev.tokensink.store.StoreJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Merges an {@link AgentPlan} into what tokensink already holds for the agent. A profile already
 * stored is replaced only with {@code overwrite}; one with identical content counts as unchanged,
 * so a second import changes nothing. Routing state is carried only for profiles written now; an
 * order is set where tokensink has none for that provider (or with {@code overwrite}).
 */
final class Merge {
  static final String ONE_OWNER =
      "only one program may refresh this grant: log it out in OpenClaw, "
          + "or log in afresh in tokensink";

  record Result(AgentSnapshot next, boolean changed, AgentReport report) {}

  private Merge() {}

  static Result merge(AgentSnapshot current, AgentPlan plan, boolean overwrite, boolean dryRun) {
    AgentSnapshot next = current;
    List<ImportReport.Line> imported = new ArrayList<>();
    List<ImportReport.Line> unchanged = new ArrayList<>();
    List<ImportReport.Line> skipped = new ArrayList<>();
    List<ImportReport.Line> needsLogin = new ArrayList<>();
    List<ImportReport.Line> unresolved = new ArrayList<>();
    List<ImportReport.Line> oneOwner = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    plan.skipped.forEach(
        s -> skipped.add(new ImportReport.Line(s.profile(), null, null, s.reason(), s.problem())));
    for (MappedProfile m : plan.profiles) {
      Profile p = m.profile();
      ImportReport.Line line = line(m, null);
      Profile existing = current.profile(p.id());
      if (existing != null && StoreJson.profileJson(existing).equals(StoreJson.profileJson(p))) {
        unchanged.add(line);
        continue;
      }
      if (existing != null && !overwrite) {
        skipped.add(
            line(
                m,
                "tokensink already holds "
                    + p.id()
                    + " with other content; --overwrite replaces it"));
        continue;
      }
      imported.add(existing == null ? line : line(m, "replaced"));
      next = next.withProfile(p).withState(carryState(next.state(), plan.state, p));
      if (m.needsLogin() != null) {
        needsLogin.add(line(m, m.needsLogin()));
      }
      if (m.unresolved() != null) {
        unresolved.add(line(m, m.unresolved()));
      }
      warnings.addAll(m.warnings());
      if (p.credential() instanceof Credential.OAuth && m.reauth() == null) {
        List<String> others = plan.alsoUsedBy.getOrDefault(p.id(), List.of());
        oneOwner.add(
            line(
                m,
                ONE_OWNER
                    + (others.isEmpty()
                        ? ""
                        : " (OpenClaw agents also using it: " + String.join(", ", others) + ")")));
      }
    }
    for (Map.Entry<String, List<ProfileId>> e : plan.order.entrySet()) {
      List<ProfileId> have = next.order().get(e.getKey());
      if (have == null || (overwrite && !have.equals(e.getValue()))) {
        next = next.withOrder(e.getKey(), e.getValue());
      } else if (!have.equals(e.getValue())) {
        warnings.add(
            "order for "
                + e.getKey()
                + " kept as tokensink has it (OpenClaw's: "
                + e.getValue()
                + "); --overwrite replaces it");
      }
    }
    boolean changed =
        !StoreJson.profilesJson(next).equals(StoreJson.profilesJson(current))
            || !StoreJson.stateJson(next).equals(StoreJson.stateJson(current));
    AgentReport.Status status =
        !changed
            ? AgentReport.Status.UP_TO_DATE
            : dryRun ? AgentReport.Status.WOULD_WRITE : AgentReport.Status.WRITTEN;
    return new Result(
        next,
        changed,
        new AgentReport(
            plan.agent,
            status,
            imported,
            unchanged,
            skipped,
            needsLogin,
            unresolved,
            warnings,
            oneOwner,
            null));
  }

  private static AuthState carryState(AuthState into, AuthState from, Profile p) {
    UsageStats usage = from.usageStats().get(p.id());
    AuthState out = into.withUsage(p.id(), usage).withReauth(p.id(), from.reauth().get(p.id()));
    String provider = p.provider().value();
    if (p.id().equals(from.lastGood().get(provider)) && !out.lastGood().containsKey(provider)) {
      out = out.withLastGood(provider, p.id());
    }
    return out;
  }

  private static ImportReport.Line line(MappedProfile m, String detail) {
    String source = m.sourceId().equals(m.profile().id().toString()) ? null : m.sourceId();
    return new ImportReport.Line(
        m.profile().id().toString(), source, m.profile().type().json(), detail, false);
  }
}
