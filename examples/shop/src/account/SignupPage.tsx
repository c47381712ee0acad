import React, { FormEvent } from "react";
import { signUp } from "../api";

declare global {
  interface Window {
    userengage?: (method: string, attributes?: Record<string, unknown>) => void;
    UE?: { pageHit(data: Record<string, unknown>): void };
  }
}

export function SignupPage({ apiKey }: { apiKey: string }): JSX.Element {
  async function onSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const account = await signUp(String(form.get("email")));
    // Correct: identify the new user, then record the sign-up as an event.
    window.UE?.pageHit({ apiKey, user_id: account.id, email: account.email });
    window.userengage?.("event.signup", { plan: account.plan });
  }

  return (
    <form onSubmit={onSubmit}>
      <input name="email" type="email" />
      <button type="submit">Create account</button>
    </form>
  );
}
