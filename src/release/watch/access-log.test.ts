import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FORMAT, parseAccessLog } from './access-log.js';

const B = '127.0.0.1:8081';
const G = '127.0.0.1:8082';
const UPSTREAMS = { blue: B, green: G };
const bytes = (text: string) => new TextEncoder().encode(text);
/** One line as nginx 1.22 writes it with ACCESS_LOG_FORMAT (taken from a real log, ports changed). */
const line = (f: { status: string; addr: string; up: string; times: string; rt?: string; msec?: string; uri?: string }) =>
  `${JSON.stringify({
    msec: f.msec ?? '1796695123.208',
    status: f.status,
    request_time: f.rt ?? '0.008',
    upstream_addr: f.addr,
    upstream_status: f.up,
    upstream_response_time: f.times,
    method: 'GET',
    uri: f.uri ?? '/translate',
  })}\n`;

describe('ACCESS_LOG_FORMAT', () => {
  it('is one log_format directive whose values are all JSON strings (an empty variable stays valid JSON)', () => {
    expect(ACCESS_LOG_FORMAT).toMatch(/^log_format matrix_watch escape=json '\{.*\}';$/);
    const json = ACCESS_LOG_FORMAT.slice(ACCESS_LOG_FORMAT.indexOf("'") + 1, -2).replace(/\$[a-z_]+/g, '');
    const upstream = ['upstream_addr', 'upstream_status', 'upstream_response_time'];
    expect(Object.keys(JSON.parse(json) as object)).toEqual(['msec', 'status', 'request_time', ...upstream, 'method', 'uri']);
  });
});

describe('parseAccessLog: each attempt counted against the color nginx tried, as clients got it', () => {
  // [what, the line, the attempts [color, status, ms], the statuses of requests nginx answered itself]
  const CASES: [string, string, [string, number, number][], number[]][] = [
    ['an answer from blue', line({ status: '200', addr: B, up: '200', times: '0.008' }), [['blue', 200, 8]], []],
    ['a 500 from green', line({ status: '500', addr: G, up: '500', times: '0.002' }), [['green', 500, 2]], []],
    ['a reset: nginx answers 502 for green', line({ status: '502', addr: G, up: '502', times: '0.001' }), [['green', 502, 1]], []],
    ['a read timeout: nginx answers 504', line({ status: '504', addr: G, up: '504', times: '1.002', rt: '1.002' }), [['green', 504, 1002]], []],
    [
      'a retry: the failed attempt counts against green, the answer for blue',
      line({ status: '200', addr: `${G}, ${B}`, up: '500, 200', times: '0.001, 0.003', rt: '0.004' }),
      [
        ['green', 500, 1],
        ['blue', 200, 3],
      ],
      [],
    ],
    [
      'a retried refusal: 502 against the color that refused',
      line({ status: '200', addr: `${B}, ${G}`, up: '502, 200', times: '0.000, 0.010' }),
      [
        ['blue', 502, 0],
        ['green', 200, 10],
      ],
      [],
    ],
    [
      'a retried attempt without a status ("-") failed all the same: 502',
      line({ status: '200', addr: `${B}, ${G}`, up: '-, 200', times: '-, 0.010' }),
      [
        ['blue', 502, 0],
        ['green', 200, 10],
      ],
      [],
    ],
    [
      'a retried 404 (proxy_next_upstream http_404) is a failed attempt: 502',
      line({ status: '200', addr: `${B}, ${G}`, up: '404, 200', times: '0.001, 0.002' }),
      [
        ['blue', 502, 1],
        ['green', 200, 2],
      ],
      [],
    ],
    [
      'both failed: each color its own failure, the client got the last',
      line({ status: '502', addr: `${G}, ${B}`, up: '502, 502', times: '0.001, 0.000' }),
      [
        ['green', 502, 1],
        ['blue', 502, 0],
      ],
      [],
    ],
    [
      'the client gave up (499, no upstream status): the request time of the color it waited on',
      line({ status: '499', addr: B, up: '-', times: '0.201', rt: '0.201' }),
      [['blue', 499, 201]],
      [],
    ],
    ['no response time at all: the request time', line({ status: '499', addr: B, up: '-', times: '-', rt: '0.150' }), [['blue', 499, 150]], []],
    [
      'an internal redirect to another group (" : ") is two attempts',
      line({ status: '200', addr: `${G} : ${B}`, up: '500 : 200', times: '0.001 : 0.002' }),
      [
        ['green', 500, 1],
        ['blue', 200, 2],
      ],
      [],
    ],
    ['nginx answered itself (no upstream): neither color', line({ status: '404', addr: '', up: '', times: '' }), [], [404]],
    ['nginx answered itself, written "-"', line({ status: '400', addr: '-', up: '-', times: '-' }), [], [400]],
    ['no live upstreams: nginx writes the group name and 502', line({ status: '502', addr: 'matrix_release', up: '502', times: '0.000' }), [], [502]],
    [
      'an address of neither color is left out; the request ends at nginx when its last attempt does',
      line({ status: '200', addr: `${B}, 127.0.0.1:9999`, up: '502, 200', times: '0.000, 0.001' }),
      [['blue', 502, 0]],
      [200],
    ],
    ['raw UTF-8 in $uri', line({ status: '200', addr: G, up: '200', times: '0.002', uri: '/你好"x' }), [['green', 200, 2]], []],
  ];
  it.each(CASES)('%s', (_what, text, attempts, front) => {
    const chunk = parseAccessLog(bytes(text), UPSTREAMS);
    expect(chunk.served.map(({ color, status, ms }) => [color, status, ms])).toEqual(attempts);
    expect(chunk.front).toEqual(front);
    expect(chunk).toMatchObject({ skipped: 0, consumed: bytes(text).length });
  });

  it('times every attempt of a request at its $msec, in ms', () => {
    const text = line({ status: '200', addr: `${G}, ${B}`, up: '500, 200', times: '0.001, 0.001', msec: '1796695123.244' });
    expect(parseAccessLog(bytes(text), UPSTREAMS).served.map((s) => s.at)).toEqual([1796695123244, 1796695123244]);
  });
});

describe('parseAccessLog: read incrementally, never thrown on', () => {
  const L1 = line({ status: '200', addr: B, up: '200', times: '0.008' });
  const L2 = line({ status: '503', addr: G, up: '503', times: '0.004' });

  it('stops before a line being written and reads it whole from the returned offset', () => {
    const log = bytes(L1 + L2);
    const cut = L1.length + 20;
    const first = parseAccessLog(log.subarray(0, cut), UPSTREAMS);
    expect(first).toMatchObject({ consumed: L1.length, skipped: 0 });
    expect(first.served).toHaveLength(1);
    const second = parseAccessLog(log.subarray(first.consumed), UPSTREAMS);
    expect(second.served.map((s) => [s.color, s.status])).toEqual([['green', 503]]);
    expect(first.consumed + second.consumed).toBe(log.length);
  });

  it('never decodes half a character: the cut falls inside a multi-byte $uri', () => {
    const L3 = line({ status: '200', addr: B, up: '200', times: '0.001', uri: '/你好' });
    const log = bytes(L1 + L3);
    const inside = bytes(L1).length + bytes(L3).indexOf(0xe4) + 1;
    const chunk = parseAccessLog(log.subarray(0, inside), UPSTREAMS);
    expect(chunk).toMatchObject({ consumed: bytes(L1).length, skipped: 0 });
  });

  it.each([
    ['a combined-format line', '127.0.0.1 - - [08/Dec/2026:01:58:43 +0000] "GET / HTTP/1.1" 200 2 "-" "curl/7.88"\n'],
    ['a JSON line of another format', '{"time":"1796695123.2","code":200}\n'],
    ['JSON that is not an object', '[1,2,3]\n'],
    ['a line cut by a crash, then a newline', '{"msec":"1796695123.208","status":"20\n'],
    ['a status that is not one', line({ status: '2x0', addr: B, up: '200', times: '0.001' })],
    ['a number where nginx writes a string', line({ status: '200', addr: B, up: '200', times: '0.001' }).replace('"1796695123.208"', '1796695123.208')],
  ])('skips %s and goes on', (_what, bad) => {
    const chunk = parseAccessLog(bytes(L1 + bad + L2), UPSTREAMS);
    expect(chunk.skipped).toBe(1);
    expect(chunk.served.map((s) => s.color)).toEqual(['blue', 'green']);
  });

  it('nothing new, or no complete line yet: nothing consumed', () => {
    expect(parseAccessLog(new Uint8Array(), UPSTREAMS)).toEqual({ served: [], front: [], skipped: 0, consumed: 0 });
    expect(parseAccessLog(bytes(L1.slice(0, 30)), UPSTREAMS)).toEqual({ served: [], front: [], skipped: 0, consumed: 0 });
  });

  it('blank lines are neither requests nor skipped', () => {
    expect(parseAccessLog(bytes(`\n${L1}\n\n`), UPSTREAMS)).toMatchObject({ skipped: 0, consumed: L1.length + 3 });
  });
});
