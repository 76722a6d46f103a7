package dev.tokensink.oauth;

import dev.tokensink.config.ProviderSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for the authorization answer from wherever it can come: the loopback callback (when its
 * port binds) and/or a paste on stdin ({@code --no-browser}, or the port is busy and a person is at
 * the terminal). Prints the authorize URL on its own line first.
 */
final class AnswerWait implements AutoCloseable {
  private final LoopbackCallback callback;
  private final CompletableFuture<AuthCode> pasted;
  private final String redirect;

  private AnswerWait(
      LoopbackCallback callback, CompletableFuture<AuthCode> pasted, String redirect) {
    this.callback = callback;
    this.pasted = pasted;
    this.redirect = redirect;
  }

  static AnswerWait start(
      ProviderSettings p,
      String state,
      boolean noBrowser,
      LoginOptions o,
      BufferedReader stdin,
      PrintStream out,
      URI authorize)
      throws LoginException {
    URI redirect = URI.create(p.redirectUri());
    LoopbackCallback cb = null;
    String bindProblem = null;
    try {
      cb = LoopbackCallback.bind(redirect, state);
    } catch (BindException e) {
      bindProblem = "port " + redirect.getPort() + " is in use";
    } catch (IOException e) {
      bindProblem = e.getMessage();
    }
    boolean paste = noBrowser || (cb == null && o.stdinIsTerminal());
    if (cb == null && !paste) {
      throw LoginException.failed(
          "cannot listen for the callback on "
              + redirect
              + " ("
              + bindProblem
              + "); rerun with --no-browser and paste the redirect URL");
    }
    out.println("Sign in to " + p.id() + " by opening this URL in a browser:");
    out.println(authorize);
    if (cb == null) {
      out.println("Cannot listen on " + redirect + " (" + bindProblem + ").");
    } else if (!noBrowser && o.browser().open(authorize)) {
      out.println("Opened your browser.");
    }
    if (cb != null) {
      out.println(
          "Waiting for the browser to return to "
              + redirect
              + " (up to "
              + human(o.timeout())
              + ") …");
    }
    if (paste) {
      out.println(
          "After signing in, paste the URL the browser was sent to (or the code) here and press Enter:");
    }
    out.flush();
    // With --no-browser the paste is the expected answer: stdin ending (closed, EOF) fails at once
    // instead of leaving the login to wait for its whole timeout on a callback nobody will open.
    CompletableFuture<AuthCode> pastedFuture =
        paste ? readPaste(stdin, state, cb != null && !noBrowser) : new CompletableFuture<>();
    return new AnswerWait(cb, pastedFuture, redirect.toString());
  }

  AuthCode await(Duration timeout) throws LoginException {
    CompletableFuture<Object> any =
        callback == null
            ? CompletableFuture.anyOf(pasted)
            : CompletableFuture.anyOf(callback.result(), pasted);
    try {
      return (AuthCode) any.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      String ignored = callback == null ? null : callback.lastRejection();
      throw LoginException.failed(
          "no sign-in answer within "
              + human(timeout)
              + (ignored == null ? "" : " (" + ignored + ")")
              + "; run the login again"
              + (callback == null ? "" : ", or use --no-browser and paste the redirect URL"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LoginException le) {
        throw le;
      }
      throw LoginException.failed("login failed: " + e.getCause().getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LoginException.failed("login interrupted");
    }
  }

  /** Tells a waiting browser the outcome: null for success. */
  void finish(String failure) {
    if (callback != null) {
      callback.finish(failure);
    }
  }

  @Override
  public void close() {
    if (callback != null) {
      callback.close();
    }
  }

  /**
   * Reads lines on a daemon thread (a blocking read on stdin cannot be interrupted) until one is
   * not blank.
   */
  private static CompletableFuture<AuthCode> readPaste(
      BufferedReader stdin, String state, boolean callbackToo) {
    CompletableFuture<AuthCode> f = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                String line;
                while (stdin != null && (line = stdin.readLine()) != null) {
                  if (!line.isBlank()) {
                    f.complete(PastedAuth.parse(line, state));
                    return;
                  }
                }
                if (!callbackToo) {
                  f.completeExceptionally(
                      LoginException.badInput(
                          "stdin ended before a redirect URL or code was pasted"));
                }
              } catch (LoginException e) {
                f.completeExceptionally(e);
              } catch (IOException | RuntimeException e) {
                if (!callbackToo) {
                  f.completeExceptionally(
                      LoginException.badInput("cannot read the pasted answer from stdin"));
                }
              }
            },
            "tokensink-login-paste");
    t.setDaemon(true);
    t.start();
    return f;
  }

  private static String human(Duration d) {
    if (d.toSeconds() >= 60 && d.toSeconds() % 60 == 0) {
      return d.toMinutes() + " min";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
