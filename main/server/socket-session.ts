import { type Api, createClientSession } from '../api';
import {
  parseSocketMessage,
  type SocketEvent,
  type SocketPong,
  type SocketReply,
} from './socket-protocol';

export interface SocketPeer {
  /** A JSON message (a reply or a subscription's event) to this socket only. */
  sendJson(message: SocketReply | SocketEvent | SocketPong): void;
  /** A terminal frame to this socket only. */
  sendBinary(frame: Uint8Array): void;
  log(line: string): void;
}

export interface SocketSession {
  receiveText(raw: string): void;
  receiveBinary(frame: Uint8Array): void;
  close(): void;
}

/** One browser connection: JSON messages (calls, subscriptions, cancels) and terminal frames. */
export function createSocketSession(api: Api, peer: SocketPeer): SocketSession {
  const session = createClientSession(api, {
    event: (id, event) => peer.sendJson({ subscription: id, event }),
    frame: peer.sendBinary,
    log: peer.log,
  });

  return {
    receiveText(raw) {
      const message = parseSocketMessage(raw);
      if ('result' in message) {
        peer.sendJson(message);
      } else if ('ping' in message) {
        peer.sendJson({ pong: message.ping });
      } else if ('cancel' in message) {
        session.cancel(message.cancel);
      } else if ('subscribe' in message) {
        void session
          .subscribe(message.id, message.subscribe, message.request)
          .then((result) => peer.sendJson({ id: message.id, result }));
      } else {
        void session
          .call(message.id, message.channel, message.request)
          .then((result) => result && peer.sendJson({ id: message.id, result }));
      }
    },
    receiveBinary: session.receiveFrame,
    close: session.close,
  };
}
