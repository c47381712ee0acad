import { useState } from "react";
import { login } from "./api";

export function LoginForm() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  async function handleSubmit(event) {
    event.preventDefault();
    const customer = await login(email, password);
    // Wrong: a login must identify the customer with UE.pageHit, not client.update.
    window.userengage("client.update", { email: customer.email, last_login: new Date().toISOString() });
  }

  return (
    <form id="login-form" onSubmit={handleSubmit}>
      <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit">Log in</button>
    </form>
  );
}
