// A complete Deskline webhook consumer. Run it with the secret the webhook's creation returned:
//   DESKLINE_WEBHOOK_SECRET=whsec_... PORT=3001 npx ts-node docs/examples/webhook-consumer.ts
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.DESKLINE_WEBHOOK_SECRET!);
const handled = new Set<string>(); // retries reuse the webhook-id header; keep this in your database

createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/deskline') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let event: unknown;
    try {
      // Verify the raw body as it arrived: parsed and re-serialized JSON would no longer match the signature.
      event = webhook.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
    } catch {
      return void res.writeHead(400).end(); // tampered body, wrong secret, or a timestamp more than 5 minutes off
    }
    const id = req.headers['webhook-id'] as string;
    if (!handled.has(id)) {
      handled.add(id);
      console.log(JSON.stringify(event)); // your handling here; answer within 10 s, or queue the work
    }
    res.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 3001), () => console.log(`listening on ${process.env.PORT ?? 3001}`));
