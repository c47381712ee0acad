// The checkout page: labels in Polish and an emoji before the findings on line 2.
const label = "🛒 Koszyk — zażółć"; userengage("client.update", { user_id: customer.id, plan: "pro" });
userengage("client.update", { browser_language: navigator.language, plan: "pro" });
userengage("signup", { plan: "pro" });
