// A throw-away S3-protocol server for the test suite: s3rver (npm) on a loopback port, with what it
// lacks and the tests rely on added in front of its router, as S3 specifies them:
// - verification of presigned (query-string) Signature V4 URLs, which s3rver accepts unchecked:
//   a changed key, parameter, signed header (content-length) or signature is 403 SignatureDoesNotMatch;
// - If-Match on GET and HEAD (412 PreconditionFailed);
// - AbortMultipartUpload (DELETE /bucket/key?uploadId=) and ListMultipartUploads (GET /bucket?uploads).
// Presigned-URL expiry, ranges, response header overrides and multipart upload are s3rver's own.
//
//   node s3-test-server.js <s3rver module dir> <data dir> <port> <bucket>...
'use strict';
const path = require('path');
const fs = require('fs');
const crypto = require('crypto');

const [moduleDir, directory, port, ...buckets] = process.argv.slice(2);
const S3rver = require(path.join(moduleDir, 's3rver'));
const S3Error = require(path.join(moduleDir, 's3rver', 'lib', 'models', 'error'));

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: true,
  vhostBuckets: false,
  configureBuckets: buckets.map(name => ({ name })),
});

const SECRET = 'S3RVER';

function rfc3986(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, c => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function hmac(key, data) {
  return crypto.createHmac('sha256', key).update(data).digest();
}

// Signature V4 of a presigned URL, computed as S3 does (UNSIGNED-PAYLOAD).
function presignedSignatureMatches(ctx) {
  const [rawPath, rawQuery = ''] = ctx.req.url.split('?');
  const params = rawQuery.split('&').filter(Boolean).map(pair => {
    const [name, value = ''] = pair.split('=');
    return [decodeURIComponent(name.replace(/\+/g, ' ')), decodeURIComponent(value.replace(/\+/g, ' '))];
  });
  const query = Object.fromEntries(params);
  const canonicalQuery = params
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = (query['X-Amz-SignedHeaders'] || '').split(';');
  const canonicalHeaders = signedHeaders.map(h => `${h}:${String(ctx.headers[h] ?? '').trim().replace(/ +/g, ' ')}\n`).join('');
  const canonicalPath = rawPath.split('/').map(segment => rfc3986(decodeURIComponent(segment))).join('/');
  const canonicalRequest = [ctx.method, canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const [, date, region, service] = query['X-Amz-Credential'].split('/');
  const scope = [date, region, service, 'aws4_request'].join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', query['X-Amz-Date'], scope, crypto.createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const key = hmac(hmac(hmac(hmac('AWS4' + SECRET, date), region), service), 'aws4_request');
  const expected = hmac(key, stringToSign).toString('hex');
  const provided = String(query['X-Amz-Signature']);
  return provided.length === expected.length && crypto.timingSafeEqual(Buffer.from(provided), Buffer.from(expected));
}

async function verifyPresigned(ctx, next) {
  if ('X-Amz-Algorithm' in ctx.query && 'X-Amz-Credential' in ctx.query && !presignedSignatureMatches(ctx)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  }
  await next();
}

async function ifMatch(ctx, next) {
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const wanted = ctx.headers['if-match'];
  if (wanted && bucket && key && (ctx.method === 'GET' || ctx.method === 'HEAD') && Object.keys(ctx.query).every(q => q.startsWith('X-Amz-') || q.startsWith('response-'))) {
    const md5File = ctx.store.getResourcePath(bucket, key, 'object') + '.md5';
    const current = fs.existsSync(md5File) ? JSON.stringify(fs.readFileSync(md5File, 'utf8')) : undefined;
    if (current !== undefined && current.replace(/"/g, '') !== wanted.replace(/"/g, '')) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
    }
  }
  await next();
}

function uploadsDir(ctx, bucket) {
  return ctx.store.getResourcePath(bucket, undefined, 'uploads');
}

async function multipartExtras(ctx, next) {
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = decodeURIComponent(rest.join('/'));
  if (ctx.method === 'DELETE' && bucket && key && 'uploadId' in ctx.query) {
    const dir = path.join(uploadsDir(ctx, bucket), path.basename(ctx.query.uploadId));
    if (!fs.existsSync(dir)) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: ctx.query.uploadId });
    }
    fs.rmSync(dir, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'GET' && bucket && !key && 'uploads' in ctx.query) {
    const root = uploadsDir(ctx, bucket);
    const prefix = ctx.query.prefix || '';
    const uploads = (fs.existsSync(root) ? fs.readdirSync(root) : [])
      .map(id => ({ id, dir: path.join(root, id) }))
      .filter(u => fs.existsSync(path.join(u.dir, 'key')))
      .map(u => ({ ...u, key: fs.readFileSync(path.join(u.dir, 'key'), 'utf8'), initiated: fs.statSync(u.dir).birthtime }))
      .filter(u => u.key.startsWith(prefix));
    ctx.body = {
      ListMultipartUploadsResult: {
        '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
        Bucket: bucket,
        Prefix: prefix,
        IsTruncated: false,
        Upload: uploads.map(u => ({ Key: u.key, UploadId: u.id, Initiated: u.initiated.toISOString() })),
      },
    };
    return;
  }
  await next();
}

// The router is s3rver's last middleware; the extras go just before it, after its XML encoder.
server.middleware.splice(server.middleware.length - 1, 0, verifyPresigned, ifMatch, multipartExtras);
server.run().then(() => console.log(`s3rver listening on 127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
// A client that drops a PUT midway (a cancelled upload, on purpose in the tests) can surface as an
// error no request handler catches; one such error must not take the server down for the rest of the
// suite. It is logged, and scripts/test-s3.sh prints the log when the suite ends.
process.on('uncaughtException', error => console.error(`uncaught: ${error && error.stack || error}`));
process.on('unhandledRejection', error => console.error(`unhandled rejection: ${error && error.stack || error}`));
