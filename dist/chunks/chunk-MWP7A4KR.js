import { createRequire as __amibakeCreateRequire } from 'node:module';
const require = __amibakeCreateRequire(import.meta.url);
import {
  finalUserdata
} from "./chunk-BIW5YY4C.js";
import {
  formatSweep,
  sweep
} from "./chunk-ZRIACSA4.js";
import {
  DIGEST_SCHEME,
  RESULT_LINE_RE,
  USERDATA_LIMIT,
  digestOf,
  formatEnv,
  parseEnv,
  parseMultipart,
  preparedDigest,
  readUserdata
} from "./chunk-G7FRW6BQ.js";
import {
  applyImageSettings,
  baseAmiRef,
  formatMs,
  nameOf,
  require_dist_cjs as require_dist_cjs3,
  resolveBaseAmi,
  sharingProblems
} from "./chunk-WWOMECBE.js";
import {
  STATE,
  cleanup,
  describeInstance,
  leftoverMessage,
  runInstancesInput,
  terminateKnown,
  waitTerminated
} from "./chunk-XDRLR6GE.js";
import {
  configuredRegion,
  createEc2,
  createImage,
  createS3,
  deadlineIn,
  findByName,
  require_dist_cjs as require_dist_cjs4,
  sdkRetry,
  tagSnapshots,
  waitAvailable
} from "./chunk-6ROUF3IT.js";
import {
  TAG,
  TAG2,
  checkCopyTargets,
  copyToRegions,
  describeRootVolume,
  errorCode,
  findImage,
  findOwnImageByName,
  imageTags,
  init_protocols,
  init_util,
  planCopies,
  protocols_exports,
  refusedByAws,
  regionProblem,
  removeImage,
  renderTags,
  require_dist_cjs2 as require_dist_cjs,
  require_dist_cjs4 as require_dist_cjs2,
  rootBlockDeviceMapping,
  runTags,
  s3Url,
  serializeCopyState,
  snapshotIds,
  tagContext,
  toTags,
  util_exports,
  validateRootVolume
} from "./chunk-CA7JAFHB.js";
import {
  OptionError,
  UserError,
  errorMessage
} from "./chunk-QCJIZORW.js";
import {
  endpoints_exports,
  init_endpoints
} from "./chunk-AD3J7GL7.js";
import {
  __commonJS,
  __require,
  __toCommonJS,
  __toESM
} from "./chunk-TS5WFTQ5.js";

// node_modules/@aws-sdk/lib-storage/dist-cjs/index.js
var require_dist_cjs5 = __commonJS({
  "node_modules/@aws-sdk/lib-storage/dist-cjs/index.js"(exports) {
    var { PutObjectCommand: PutObjectCommand2, ChecksumAlgorithm, CreateMultipartUploadCommand, AbortMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, PutObjectTaggingCommand } = require_dist_cjs4();
    var { toEndpointV1, getEndpointFromInstructions } = (init_endpoints(), __toCommonJS(endpoints_exports));
    var { extendedEncodeURIComponent } = (init_protocols(), __toCommonJS(protocols_exports));
    var { EventEmitter } = __require("events");
    var { Buffer: Buffer2 } = __require("buffer");
    var { statSync, ReadStream } = __require("node:fs");
    var { Readable } = __require("stream");
    var runtimeConfigShared = {
      statSync: () => {
      },
      isFileReadStream(f) {
        return false;
      }
    };
    var runtimeConfig = {
      ...runtimeConfigShared,
      runtime: "node",
      statSync,
      isFileReadStream(f) {
        return f instanceof ReadStream;
      }
    };
    var byteLength = (input) => {
      if (input == null) {
        return 0;
      }
      if (typeof input === "string") {
        return Buffer2.byteLength(input);
      }
      if (typeof input.byteLength === "number") {
        return input.byteLength;
      } else if (typeof input.length === "number") {
        return input.length;
      } else if (typeof input.size === "number") {
        return input.size;
      } else if (typeof input.start === "number" && typeof input.end === "number") {
        return input.end + 1 - input.start;
      } else if (runtimeConfig.isFileReadStream(input)) {
        try {
          return runtimeConfig.statSync(input.path).size;
        } catch (error) {
          return void 0;
        }
      }
      return void 0;
    };
    var BYTE_LENGTH_SOURCE;
    (function(BYTE_LENGTH_SOURCE2) {
      BYTE_LENGTH_SOURCE2["EMPTY_INPUT"] = "a null or undefined Body";
      BYTE_LENGTH_SOURCE2["CONTENT_LENGTH"] = "the ContentLength property of the params set by the caller";
      BYTE_LENGTH_SOURCE2["STRING_LENGTH"] = "the encoded byte length of the Body string";
      BYTE_LENGTH_SOURCE2["TYPED_ARRAY"] = "the byteLength of a typed byte array such as Uint8Array";
      BYTE_LENGTH_SOURCE2["LENGTH"] = "the value of Body.length";
      BYTE_LENGTH_SOURCE2["SIZE"] = "the value of Body.size";
      BYTE_LENGTH_SOURCE2["START_END_DIFF"] = "the numeric difference between Body.start and Body.end";
      BYTE_LENGTH_SOURCE2["STAT"] = "the size of the file given by Body.path on disk as reported by statSync";
    })(BYTE_LENGTH_SOURCE || (BYTE_LENGTH_SOURCE = {}));
    var byteLengthSource = (input, override) => {
      if (override != null) {
        return BYTE_LENGTH_SOURCE.CONTENT_LENGTH;
      }
      if (input == null) {
        return BYTE_LENGTH_SOURCE.EMPTY_INPUT;
      }
      if (typeof input === "string") {
        return BYTE_LENGTH_SOURCE.STRING_LENGTH;
      }
      if (typeof input.byteLength === "number") {
        return BYTE_LENGTH_SOURCE.TYPED_ARRAY;
      } else if (typeof input.length === "number") {
        return BYTE_LENGTH_SOURCE.LENGTH;
      } else if (typeof input.size === "number") {
        return BYTE_LENGTH_SOURCE.SIZE;
      } else if (typeof input.start === "number" && typeof input.end === "number") {
        return BYTE_LENGTH_SOURCE.START_END_DIFF;
      } else if (runtimeConfig.isFileReadStream(input)) {
        try {
          runtimeConfig.statSync(input.path).size;
          return BYTE_LENGTH_SOURCE.STAT;
        } catch (error) {
          return void 0;
        }
      }
      return void 0;
    };
    async function* getChunkStream(data, partSize, getNextData) {
      let partNumber = 1;
      const currentBuffer = { chunks: [], length: 0 };
      for await (const datum of getNextData(data)) {
        currentBuffer.chunks.push(datum);
        currentBuffer.length += datum.byteLength;
        while (currentBuffer.length > partSize) {
          const dataChunk = currentBuffer.chunks.length > 1 ? Buffer2.concat(currentBuffer.chunks) : currentBuffer.chunks[0];
          yield {
            partNumber,
            data: dataChunk.subarray(0, partSize)
          };
          currentBuffer.chunks = [dataChunk.subarray(partSize)];
          currentBuffer.length = currentBuffer.chunks[0].byteLength;
          partNumber += 1;
        }
      }
      yield {
        partNumber,
        data: currentBuffer.chunks.length !== 1 ? Buffer2.concat(currentBuffer.chunks) : currentBuffer.chunks[0],
        lastPart: true
      };
    }
    async function* getChunkUint8Array(data, partSize) {
      let partNumber = 1;
      let startByte = 0;
      let endByte = partSize;
      while (endByte < data.byteLength) {
        yield {
          partNumber,
          data: data.subarray(startByte, endByte)
        };
        partNumber += 1;
        startByte = endByte;
        endByte = startByte + partSize;
      }
      yield {
        partNumber,
        data: data.subarray(startByte),
        lastPart: true
      };
    }
    async function* getDataReadable(data) {
      for await (const chunk of data) {
        if (Buffer2.isBuffer(chunk) || chunk instanceof Uint8Array) {
          yield chunk;
        } else {
          yield Buffer2.from(chunk);
        }
      }
    }
    async function* getDataReadableStream(data) {
      const reader = data.getReader();
      try {
        while (true) {
          const { done, value } = await reader.read();
          if (done) {
            return;
          }
          if (Buffer2.isBuffer(value) || value instanceof Uint8Array) {
            yield value;
          } else {
            yield Buffer2.from(value);
          }
        }
      } catch (e) {
        throw e;
      } finally {
        reader.releaseLock();
      }
    }
    var getChunk = (data, partSize) => {
      if (data instanceof Uint8Array) {
        return getChunkUint8Array(data, partSize);
      }
      if (data instanceof Readable) {
        return getChunkStream(data, partSize, getDataReadable);
      }
      if (data instanceof String || typeof data === "string") {
        return getChunkUint8Array(Buffer2.from(data), partSize);
      }
      if (typeof data.stream === "function") {
        return getChunkStream(data.stream(), partSize, getDataReadableStream);
      }
      if (data instanceof ReadableStream) {
        return getChunkStream(data, partSize, getDataReadableStream);
      }
      throw new Error("Body Data is unsupported format, expected data to be one of: string | Uint8Array | Buffer | Readable | ReadableStream | Blob;.");
    };
    var Upload2 = class _Upload extends EventEmitter {
      static MIN_PART_SIZE = 1024 * 1024 * 5;
      MAX_PARTS = 1e4;
      queueSize = 4;
      partSize;
      leavePartsOnError = false;
      tags = [];
      client;
      params;
      totalBytes;
      totalBytesSource;
      bytesUploadedSoFar;
      abortController;
      concurrentUploaders = [];
      createMultiPartPromise;
      abortMultipartUploadCommand = null;
      uploadedParts = [];
      uploadEnqueuedPartsCount = 0;
      expectedPartsCount;
      uploadId;
      uploadEvent;
      isMultiPart = true;
      singleUploadResult;
      sent = false;
      constructor(options) {
        super();
        this.queueSize = options.queueSize || this.queueSize;
        this.leavePartsOnError = options.leavePartsOnError || this.leavePartsOnError;
        this.tags = options.tags || this.tags;
        this.client = options.client;
        this.params = options.params;
        if (!this.params) {
          throw new Error(`InputError: Upload requires params to be passed to upload.`);
        }
        this.totalBytes = this.params.ContentLength ?? byteLength(this.params.Body);
        this.totalBytesSource = byteLengthSource(this.params.Body, this.params.ContentLength);
        this.bytesUploadedSoFar = 0;
        this.abortController = options.abortController ?? new AbortController();
        this.partSize = options.partSize || Math.max(_Upload.MIN_PART_SIZE, Math.ceil((this.totalBytes || 0) / this.MAX_PARTS));
        if (this.totalBytes !== void 0) {
          this.expectedPartsCount = Math.ceil(this.totalBytes / this.partSize);
        }
        this.__validateInput();
      }
      async abort() {
        this.abortController.abort();
      }
      async done() {
        if (this.sent) {
          throw new Error("@aws-sdk/lib-storage: this instance of Upload has already executed .done(). Create a new instance.");
        }
        this.sent = true;
        return await Promise.race([this.__doMultipartUpload(), this.__abortTimeout(this.abortController.signal)]);
      }
      on(event, listener) {
        this.uploadEvent = event;
        return super.on(event, listener);
      }
      async __uploadUsingPut(dataPart) {
        this.isMultiPart = false;
        const params = { ...this.params, Body: dataPart.data };
        const clientConfig = this.client.config;
        const requestHandler = clientConfig.requestHandler;
        const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
        const uploadEventListener = (event) => {
          this.bytesUploadedSoFar = event.loaded;
          this.totalBytes = event.total;
          this.__notifyProgress({
            loaded: this.bytesUploadedSoFar,
            total: this.totalBytes,
            part: dataPart.partNumber,
            Key: this.params.Key,
            Bucket: this.params.Bucket
          });
        };
        if (eventEmitter !== null) {
          eventEmitter.on("xhr.upload.progress", uploadEventListener);
        }
        const resolved = await Promise.all([this.client.send(new PutObjectCommand2(params)), clientConfig?.endpoint?.()]);
        const putResult = resolved[0];
        let endpoint = resolved[1];
        if (!endpoint) {
          endpoint = toEndpointV1(await getEndpointFromInstructions(params, PutObjectCommand2, {
            ...clientConfig
          }));
        }
        if (!endpoint) {
          throw new Error('Could not resolve endpoint from S3 "client.config.endpoint()" nor EndpointsV2.');
        }
        if (eventEmitter !== null) {
          eventEmitter.off("xhr.upload.progress", uploadEventListener);
        }
        const locationKey = this.params.Key.split("/").map((segment) => extendedEncodeURIComponent(segment)).join("/");
        const locationBucket = extendedEncodeURIComponent(this.params.Bucket);
        const Location = (() => {
          const endpointHostnameIncludesBucket = endpoint.hostname.startsWith(`${locationBucket}.`);
          const forcePathStyle = this.client.config.forcePathStyle;
          const optionalPort = endpoint.port ? `:${endpoint.port}` : ``;
          if (forcePathStyle) {
            return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationBucket}/${locationKey}`;
          }
          if (endpointHostnameIncludesBucket) {
            return `${endpoint.protocol}//${endpoint.hostname}${optionalPort}/${locationKey}`;
          }
          return `${endpoint.protocol}//${locationBucket}.${endpoint.hostname}${optionalPort}/${locationKey}`;
        })();
        this.singleUploadResult = {
          ...putResult,
          Bucket: this.params.Bucket,
          Key: this.params.Key,
          Location
        };
        const totalSize = byteLength(dataPart.data);
        this.__notifyProgress({
          loaded: totalSize,
          total: totalSize,
          part: 1,
          Key: this.params.Key,
          Bucket: this.params.Bucket
        });
      }
      async __createMultipartUpload() {
        const requestChecksumCalculation = await this.client.config.requestChecksumCalculation();
        if (!this.createMultiPartPromise) {
          const createCommandParams = { ...this.params, Body: void 0 };
          if (requestChecksumCalculation === "WHEN_SUPPORTED") {
            createCommandParams.ChecksumAlgorithm = this.params.ChecksumAlgorithm || ChecksumAlgorithm.CRC32;
          }
          this.createMultiPartPromise = this.client.send(new CreateMultipartUploadCommand(createCommandParams)).then((createMpuResponse) => {
            this.abortMultipartUploadCommand = new AbortMultipartUploadCommand({
              Bucket: this.params.Bucket,
              Key: this.params.Key,
              UploadId: createMpuResponse.UploadId
            });
            return createMpuResponse;
          });
        }
        return this.createMultiPartPromise;
      }
      async __doConcurrentUpload(dataFeeder) {
        for await (const dataPart of dataFeeder) {
          if (this.uploadEnqueuedPartsCount > this.MAX_PARTS) {
            throw new Error(`Exceeded ${this.MAX_PARTS} parts in multipart upload to Bucket: ${this.params.Bucket} Key: ${this.params.Key}.`);
          }
          if (this.abortController.signal.aborted) {
            return;
          }
          if (dataPart.partNumber === 1 && dataPart.lastPart) {
            return await this.__uploadUsingPut(dataPart);
          }
          if (!this.uploadId) {
            const { UploadId } = await this.__createMultipartUpload();
            this.uploadId = UploadId;
            if (this.abortController.signal.aborted) {
              return;
            }
          }
          const partSize = byteLength(dataPart.data) || 0;
          const requestHandler = this.client.config.requestHandler;
          const eventEmitter = requestHandler instanceof EventEmitter ? requestHandler : null;
          let lastSeenBytes = 0;
          const uploadEventListener = (event, request) => {
            const requestPartSize = Number(request.query["partNumber"]) || -1;
            if (requestPartSize !== dataPart.partNumber) {
              return;
            }
            if (event.total && partSize) {
              this.bytesUploadedSoFar += event.loaded - lastSeenBytes;
              lastSeenBytes = event.loaded;
            }
            this.__notifyProgress({
              loaded: this.bytesUploadedSoFar,
              total: this.totalBytes,
              part: dataPart.partNumber,
              Key: this.params.Key,
              Bucket: this.params.Bucket
            });
          };
          if (eventEmitter !== null) {
            eventEmitter.on("xhr.upload.progress", uploadEventListener);
          }
          this.uploadEnqueuedPartsCount += 1;
          this.__validateUploadPart(dataPart);
          const partResult = await this.client.send(new UploadPartCommand({
            ...this.params,
            ContentLength: void 0,
            UploadId: this.uploadId,
            Body: dataPart.data,
            PartNumber: dataPart.partNumber
          }));
          if (eventEmitter !== null) {
            eventEmitter.off("xhr.upload.progress", uploadEventListener);
          }
          if (this.abortController.signal.aborted) {
            return;
          }
          if (!partResult.ETag) {
            throw new Error(`Part ${dataPart.partNumber} is missing ETag in UploadPart response. Missing Bucket CORS configuration for ETag header?`);
          }
          this.uploadedParts.push({
            PartNumber: dataPart.partNumber,
            ETag: partResult.ETag,
            ...partResult.ChecksumCRC32 && { ChecksumCRC32: partResult.ChecksumCRC32 },
            ...partResult.ChecksumCRC32C && { ChecksumCRC32C: partResult.ChecksumCRC32C },
            ...partResult.ChecksumSHA1 && { ChecksumSHA1: partResult.ChecksumSHA1 },
            ...partResult.ChecksumSHA256 && { ChecksumSHA256: partResult.ChecksumSHA256 }
          });
          if (eventEmitter === null) {
            this.bytesUploadedSoFar += partSize;
          }
          this.__notifyProgress({
            loaded: this.bytesUploadedSoFar,
            total: this.totalBytes,
            part: dataPart.partNumber,
            Key: this.params.Key,
            Bucket: this.params.Bucket
          });
        }
      }
      async __doMultipartUpload() {
        const dataFeeder = getChunk(this.params.Body, this.partSize);
        const concurrentUploaderFailures = [];
        for (let index = 0; index < this.queueSize; index++) {
          const currentUpload = this.__doConcurrentUpload(dataFeeder).catch((err) => {
            concurrentUploaderFailures.push(err);
          });
          this.concurrentUploaders.push(currentUpload);
        }
        await Promise.all(this.concurrentUploaders);
        if (concurrentUploaderFailures.length >= 1) {
          await this.markUploadAsAborted();
          throw concurrentUploaderFailures[0];
        }
        if (this.abortController.signal.aborted) {
          await this.markUploadAsAborted();
          throw Object.assign(new Error("Upload aborted."), { name: "AbortError" });
        }
        let result;
        if (this.isMultiPart) {
          const { expectedPartsCount, uploadedParts, totalBytes, totalBytesSource } = this;
          if (totalBytes !== void 0 && expectedPartsCount !== void 0 && uploadedParts.length !== expectedPartsCount) {
            await this.markUploadAsAborted();
            throw new Error(`Expected ${expectedPartsCount} part(s) but uploaded ${uploadedParts.length} part(s).
The expected part count is based on the byte-count of the input.params.Body,
which was read from ${totalBytesSource} and is ${totalBytes}.
If this is not correct, provide an override value by setting a number
to input.params.ContentLength in bytes.
`);
          }
          this.uploadedParts.sort((a, b) => a.PartNumber - b.PartNumber);
          const uploadCompleteParams = {
            ...this.params,
            Body: void 0,
            UploadId: this.uploadId,
            MultipartUpload: {
              Parts: this.uploadedParts
            }
          };
          try {
            result = await this.client.send(new CompleteMultipartUploadCommand(uploadCompleteParams));
          } catch (e) {
            await this.markUploadAsAborted().catch((abortError) => {
              if (e instanceof Error && e.cause === void 0) {
                e.cause = abortError;
              }
            });
            throw e;
          }
          if (typeof result?.Location === "string" && result.Location.includes("%2F")) {
            result.Location = result.Location.replace(/%2F/g, "/");
          }
        } else {
          result = this.singleUploadResult;
        }
        this.abortMultipartUploadCommand = null;
        if (this.tags.length) {
          await this.client.send(new PutObjectTaggingCommand({
            ...this.params,
            Tagging: {
              TagSet: this.tags
            }
          }));
        }
        return result;
      }
      async markUploadAsAborted() {
        if (this.uploadId && !this.leavePartsOnError && null !== this.abortMultipartUploadCommand) {
          await this.client.send(this.abortMultipartUploadCommand);
          this.abortMultipartUploadCommand = null;
        }
      }
      __notifyProgress(progress) {
        if (this.uploadEvent) {
          this.emit(this.uploadEvent, progress);
        }
      }
      async __abortTimeout(abortSignal) {
        return new Promise((resolve, reject) => {
          abortSignal.onabort = () => {
            const abortError = new Error("Upload aborted.");
            abortError.name = "AbortError";
            reject(abortError);
          };
        });
      }
      __validateUploadPart(dataPart) {
        const actualPartSize = byteLength(dataPart.data);
        if (actualPartSize === void 0) {
          throw new Error(`A dataPart was generated without a measurable data chunk size for part number ${dataPart.partNumber}`);
        }
        if (dataPart.partNumber === 1 && dataPart.lastPart) {
          return;
        }
        if (!dataPart.lastPart && actualPartSize !== this.partSize) {
          throw new Error(`The byte size for part number ${dataPart.partNumber}, size ${actualPartSize} does not match expected size ${this.partSize}`);
        }
      }
      __validateInput() {
        if (!this.client) {
          throw new Error(`InputError: Upload requires a AWS client to do uploads with.`);
        }
        if (this.partSize < _Upload.MIN_PART_SIZE) {
          throw new Error(`EntityTooSmall: Your proposed upload part size [${this.partSize}] is smaller than the minimum allowed size [${_Upload.MIN_PART_SIZE}] (5MB)`);
        }
        if (this.queueSize < 1) {
          throw new Error(`Queue size: Must have at least one uploading queue.`);
        }
      }
    };
    exports.Upload = Upload2;
  }
});

// node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js
var require_dist_cjs6 = __commonJS({
  "node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js"(exports) {
    var { formatUrl } = (init_util(), __toCommonJS(util_exports));
    var { getEndpointFromInstructions } = (init_endpoints(), __toCommonJS(endpoints_exports));
    var { HttpRequest } = (init_protocols(), __toCommonJS(protocols_exports));
    var { SignatureV4MultiRegion } = require_dist_cjs();
    var UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    var SHA256_HEADER = "X-Amz-Content-Sha256";
    var S3RequestPresigner = class {
      signer;
      constructor(options) {
        const resolvedOptions = {
          service: options.signingName || options.service || "s3",
          uriEscapePath: options.uriEscapePath || false,
          applyChecksum: options.applyChecksum || false,
          ...options
        };
        this.signer = new SignatureV4MultiRegion(resolvedOptions);
      }
      presign(requestToSign, { unsignableHeaders = /* @__PURE__ */ new Set(), hoistableHeaders = /* @__PURE__ */ new Set(), unhoistableHeaders = /* @__PURE__ */ new Set(), ...options } = {}) {
        this.prepareRequest(requestToSign, {
          unsignableHeaders,
          unhoistableHeaders,
          hoistableHeaders
        });
        return this.signer.presign(requestToSign, {
          expiresIn: 900,
          unsignableHeaders,
          unhoistableHeaders,
          ...options
        });
      }
      presignWithCredentials(requestToSign, credentials, { unsignableHeaders = /* @__PURE__ */ new Set(), hoistableHeaders = /* @__PURE__ */ new Set(), unhoistableHeaders = /* @__PURE__ */ new Set(), ...options } = {}) {
        this.prepareRequest(requestToSign, {
          unsignableHeaders,
          unhoistableHeaders,
          hoistableHeaders
        });
        return this.signer.presignWithCredentials(requestToSign, credentials, {
          expiresIn: 900,
          unsignableHeaders,
          unhoistableHeaders,
          ...options
        });
      }
      prepareRequest(requestToSign, { unsignableHeaders = /* @__PURE__ */ new Set(), unhoistableHeaders = /* @__PURE__ */ new Set(), hoistableHeaders = /* @__PURE__ */ new Set() } = {}) {
        unsignableHeaders.add("content-type");
        Object.keys(requestToSign.headers).map((header) => header.toLowerCase()).filter((header) => header.startsWith("x-amz-server-side-encryption")).forEach((header) => {
          if (!hoistableHeaders.has(header)) {
            unhoistableHeaders.add(header);
          }
        });
        requestToSign.headers[SHA256_HEADER] = UNSIGNED_PAYLOAD;
        const currentHostHeader = requestToSign.headers.host;
        const port = requestToSign.port;
        const expectedHostHeader = `${requestToSign.hostname}${requestToSign.port != null ? ":" + port : ""}`;
        if (!currentHostHeader || currentHostHeader === requestToSign.hostname && requestToSign.port != null) {
          requestToSign.headers.host = expectedHostHeader;
        }
      }
    };
    var getSignedUrl2 = async (client, command, options = {}) => {
      let s3Presigner;
      let region;
      if (typeof client.config.endpointProvider === "function") {
        const endpointV2 = await getEndpointFromInstructions(command.input, command.constructor, client.config);
        const authScheme = endpointV2.properties?.authSchemes?.[0];
        if (authScheme?.name === "sigv4a") {
          region = authScheme?.signingRegionSet?.join(",");
        } else {
          region = authScheme?.signingRegion;
        }
        s3Presigner = new S3RequestPresigner({
          ...client.config,
          signingName: authScheme?.signingName,
          region: async () => region
        });
      } else {
        s3Presigner = new S3RequestPresigner(client.config);
      }
      const presignInterceptMiddleware = (next, context) => async (args) => {
        const { request } = args;
        if (!HttpRequest.isInstance(request)) {
          throw new Error("Request to be presigned is not an valid HTTP request.");
        }
        delete request.headers["amz-sdk-invocation-id"];
        delete request.headers["amz-sdk-request"];
        delete request.headers["x-amz-user-agent"];
        let presigned2;
        const presignerOptions = {
          ...options,
          signingRegion: options.signingRegion ?? context["signing_region"] ?? region,
          signingService: options.signingService ?? context["signing_service"]
        };
        if (context.s3ExpressIdentity) {
          presigned2 = await s3Presigner.presignWithCredentials(request, context.s3ExpressIdentity, presignerOptions);
        } else {
          presigned2 = await s3Presigner.presign(request, presignerOptions);
        }
        return {
          response: {},
          output: {
            $metadata: { httpStatusCode: 200 },
            presigned: presigned2
          }
        };
      };
      const middlewareName = "presignInterceptMiddleware";
      const clientStack = client.middlewareStack.clone();
      clientStack.addRelativeTo(presignInterceptMiddleware, {
        name: middlewareName,
        relation: "before",
        toMiddleware: "awsAuthMiddleware",
        override: true
      });
      const handler = command.resolveMiddleware(clientStack, client.config, {});
      const { output } = await handler({ input: command.input });
      const { presigned } = output;
      return formatUrl(presigned);
    };
    exports.S3RequestPresigner = S3RequestPresigner;
    exports.getSignedUrl = getSignedUrl2;
  }
});

// src/bake/report.ts
import { writeFile } from "node:fs/promises";
function outputFileText(r) {
  return formatEnv({ AMI_ID: r.amiId, AMI_NAME: r.amiName, REGION: r.region, ...r.report.fileVars });
}
async function writeOutputFile(path, r, option) {
  try {
    await writeFile(path, outputFileText(r));
  } catch (err) {
    throw new UserError(`${option}: cannot write ${path}: ${errorMessage(err)}`);
  }
}
function formatDuration(seconds) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
function summaryRows(r) {
  const rows = [
    [
      "AMI",
      r.report.dryRun ? "none (dry run)" : r.reused ? `${r.amiId} (reused: already baked from the same content)` : r.amiId
    ],
    ["Name", r.amiName],
    ["Region", r.region],
    ["Base AMI", r.baseAmi],
    ["Instance type", r.instanceType]
  ];
  if (r.instanceId)
    rows.push([
      "Build instance",
      `${r.instanceId} (${r.terminated ? "terminated" : "termination not confirmed: see the warnings"})`
    ]);
  if (r.snapshots.length) rows.push(["Snapshots", r.snapshots.join(", ")]);
  rows.push(...r.report.summary);
  for (const t of r.timings) rows.push([t.title, formatDuration(t.seconds)]);
  const total = r.timings.reduce((a, t) => a + t.seconds, 0);
  rows.push(["Total", formatDuration(total)]);
  return rows;
}
function summaryText(r) {
  const rows = summaryRows(r);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}

// src/bake/config.ts
import { randomBytes } from "node:crypto";

// src/bake/prepared.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
var VARS = {
  region: "AWSREGION",
  s3Url: "S3URL",
  name: "NAME",
  version: "VERSION",
  userdataSha256: "USERDATA_SHA256",
  fsSha256: "FS_SHA256",
  fsMode: "FS_MODE",
  digest: "PREPARED_DIGEST",
  description: "DESCRIPTION"
};
var LINE_BREAKING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
async function sha256File(path) {
  const hash = createHash("sha256");
  await pipeline(createReadStream(path), hash);
  return hash.digest("hex");
}
async function readOrExplain(path, what) {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UserError(`${what} ${path}: ${err.code ?? errorMessage(err)}`);
  }
}
async function readPreparedUserdata(path) {
  let userdata;
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      if (size > USERDATA_LIMIT)
        throw new UserError(
          `${path}: ${size} bytes, more than EC2's limit of ${USERDATA_LIMIT} for user data: not what prepare writes`
        );
      userdata = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(
      `cannot read the user data ${path}: ${err.code ?? errorMessage(err)}`
    );
  }
  if (userdata.length > USERDATA_LIMIT)
    throw new UserError(`${path}: more than EC2's limit of ${USERDATA_LIMIT} bytes for user data`);
  try {
    parseMultipart(readUserdata(userdata));
  } catch (err) {
    throw new UserError(`${path}: ${errorMessage(err)}`);
  }
  return userdata;
}
async function loadPrepared(userdataPath, fsTgzPath, fsTgzOption = "fs.tgz") {
  const dir = dirname(userdataPath);
  const varsPath = join(dir, "vars.env");
  const userdata = await readPreparedUserdata(userdataPath);
  const varsText = await readOrExplain(
    varsPath,
    "cannot read vars.env (prepare writes it beside userdata.gz):"
  );
  let vars;
  try {
    vars = parseEnv(varsText.toString("utf8"), varsPath);
  } catch (err) {
    throw new UserError(errorMessage(err));
  }
  for (const key of Object.values(VARS)) {
    if (vars[key] !== void 0 && LINE_BREAKING.test(vars[key]))
      throw new UserError(
        `${varsPath}: ${key} holds a line break or control character; amibake prepare never writes one`
      );
  }
  for (const key of [VARS.userdataSha256, VARS.fsMode, VARS.digest]) {
    if (!vars[key])
      throw new UserError(`${varsPath}: ${key} is missing (was it written by amibake prepare?)`);
  }
  const udSha = createHash("sha256").update(userdata).digest("hex");
  if (udSha !== vars[VARS.userdataSha256]) {
    throw new UserError(
      `${userdataPath}: sha256 ${udSha} does not match ${VARS.userdataSha256} in ${varsPath} (${vars[VARS.userdataSha256]}): the files do not come from the same prepare run`
    );
  }
  const fsMode = vars[VARS.fsMode];
  if (fsMode !== "inline" && fsMode !== "external" && fsMode !== "none") {
    throw new UserError(`${varsPath}: ${VARS.fsMode} must be inline, external or none (got "${fsMode}")`);
  }
  const prepared = { userdataPath, userdata, varsPath, vars, fsMode, digest: "" };
  if (fsMode !== "external")
    return checkDigest({ ...prepared, digest: preparedDigest({ userdataSha256: udSha, fsMode }) });
  const fsPath = fsTgzPath ?? join(dir, "fs.tgz");
  const expected = vars[VARS.fsSha256];
  if (!expected)
    throw new UserError(`${varsPath}: ${VARS.fsSha256} is missing although ${VARS.fsMode}=external`);
  let size;
  try {
    size = (await stat(fsPath)).size;
  } catch {
    throw new UserError(
      `${fsTgzOption}: ${fsPath} not found; prepare staged the files externally, so fs.tgz must be uploaded`
    );
  }
  const fsSha = await sha256File(fsPath);
  if (fsSha !== expected) {
    throw new UserError(
      `${fsPath}: sha256 ${fsSha} does not match ${VARS.fsSha256} in ${varsPath} (${expected}): the files do not come from the same prepare run`
    );
  }
  return checkDigest({
    ...prepared,
    fsTgzPath: fsPath,
    fsSize: size,
    digest: preparedDigest({ userdataSha256: udSha, fsMode, fsSha256: fsSha })
  });
}
function checkDigest(prepared) {
  const claimed = prepared.vars[VARS.digest];
  if (claimed !== prepared.digest) {
    const from = [prepared.userdataPath, prepared.fsTgzPath].filter(Boolean).join(" and ");
    throw new UserError(
      `${prepared.varsPath}: ${VARS.digest} ${claimed} is not the digest of the prepared files (${prepared.digest}, computed by the build from ${from}, ${DIGEST_SCHEME}): refused. Prepare again with this version of amibake, and do not edit its files`
    );
  }
  return prepared;
}

// src/bake/location.ts
var preparedName = (key, front) => front === "action" ? `action-prepare's ${nameOf(key, front)}` : nameOf(key, front);
function buildRegion(configured, prepared, policy) {
  const claimed = prepared.vars[VARS.region];
  const where = `${prepared.varsPath}: ${VARS.region}`;
  if (configured) {
    const problem2 = regionProblem(configured.region);
    if (problem2) throw new OptionError([`${configured.from}: ${problem2}`]);
    if (claimed !== void 0 && claimed !== configured.region)
      throw new UserError(
        `${where} ${claimed} is not the build's region ${configured.region} (${configured.from}): refused, the artifact does not choose the region. Prepare with ${preparedName("awsRegion", policy.front)} ${configured.region}, or configure the build for ${claimed}`
      );
    return configured.region;
  }
  if (!policy.trustArtifactLocation)
    throw new UserError(
      `no AWS region: set AWS_REGION (the aws-region of aws-actions/configure-aws-credentials sets it); the build never takes its region from vars.env${claimed ? ` (${VARS.region} ${claimed})` : ""}`
    );
  if (!claimed)
    throw new UserError(
      `no AWS region: set AWS_REGION, or ${preparedName("awsRegion", policy.front)} when preparing (${VARS.region} in vars.env)`
    );
  const problem = regionProblem(claimed);
  if (problem) throw new OptionError([`${where}: ${problem}`]);
  return claimed;
}
function stagingLocation(own, prepared, policy) {
  const claimed = prepared.vars[VARS.s3Url];
  const option = nameOf("buildS3Url", policy.front);
  const where = `${prepared.varsPath}: ${VARS.s3Url}`;
  const problems = [];
  let staging = own;
  if (own && claimed !== void 0 && claimed !== own.url)
    problems.push(
      `${where} ${claimed} is not ${option} ${own.url}: refused, the artifact does not choose where the build writes. Prepare with ${preparedName("s3Url", policy.front)} ${own.url}, or change ${option}`
    );
  if (!own && claimed !== void 0 && policy.trustArtifactLocation) {
    try {
      staging = s3Url(claimed);
    } catch (err) {
      problems.push(`${where}: ${err.message}`);
    }
  }
  if (prepared.fsMode === "external" && !staging && !problems.length)
    problems.push(
      policy.trustArtifactLocation || claimed === void 0 ? `${option}: is required, the prepared files went external (fs.tgz) and ${prepared.varsPath} has no ${VARS.s3Url}` : `${option}: is required, the prepared files went external (fs.tgz); the bucket the build writes to comes from ${option} only, never from vars.env (${VARS.s3Url} ${claimed})`
    );
  return { staging, problems };
}

// src/bake/config.ts
var AMI_NAME_RE = /^[A-Za-z0-9()[\]./\-'@_ ]{3,128}$/;
function runIdFrom(env) {
  if (env.GITHUB_RUN_ID) return `${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT ?? "1"}`;
  if (env.BUILD_TAG) return env.BUILD_TAG.slice(0, 200);
  const stamp = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:]/g, "").slice(0, 15);
  return `cli-${stamp}-${randomBytes(3).toString("hex")}`;
}
function bakeDigest(parts) {
  return digestOf(parts);
}
function imageDigestParts(cfg) {
  return {
    prepared: cfg.prepared.digest,
    "instance-type": cfg.instanceType,
    "key-pair": cfg.keyPair ?? "",
    result: cfg.allowNoResult ? "stop-trusted" : "required"
  };
}
function resolveConfig(opts, prepared, ctx) {
  const { front } = ctx;
  const problems = [];
  const name = opts.targetName ?? prepared.vars[VARS.name];
  const version = opts.targetVersion ?? prepared.vars[VARS.version];
  const arg = (what) => front === "cli" ? ` (or the ${what} argument)` : "";
  if (!name)
    problems.push(
      `${nameOf("targetName", front)}${arg("NAME")}: is required, ${prepared.varsPath} has no NAME`
    );
  if (!version)
    problems.push(
      `${nameOf("targetVersion", front)}${arg("VERSION")}: is required, ${prepared.varsPath} has no VERSION`
    );
  const amiName = `${name}-${version}`;
  if (name && version && !AMI_NAME_RE.test(amiName))
    problems.push(
      `${nameOf("targetName", front)}: the AMI name "${amiName}" (name-version) must be 3 to 128 letters, digits, spaces and ()[]./-'@_`
    );
  const location = stagingLocation(opts.buildS3Url, prepared, {
    front,
    trustArtifactLocation: ctx.trustArtifactLocation
  });
  problems.push(...location.problems);
  if (problems.length) throw new OptionError(problems);
  const staging = location.staging;
  return {
    front,
    region: ctx.region,
    name,
    version,
    amiName,
    description: opts.targetDescription ?? prepared.vars[VARS.description]?.slice(0, 255) ?? `${name} ${version} (baked by amibake)`,
    baseAmi: opts.baseAmi,
    subnet: opts.subnet,
    securityGroups: opts.securityGroups,
    profile: opts.profile,
    instanceType: opts.instanceType,
    keyPair: opts.keyPair,
    timeoutInstance: opts.timeoutInstance,
    timeoutAmi: opts.timeoutAmi,
    waitInstance: opts.waitInstance,
    waitAmi: opts.waitAmi,
    allowNoResult: opts.allowNoResult,
    staging,
    s3Region: opts.s3Region ?? ctx.region,
    prepared,
    runId: runIdFrom(ctx.env),
    extraTags: {},
    outputFile: opts.outputFile
  };
}

// src/golden/phases.ts
var import_client_ssm = __toESM(require_dist_cjs3(), 1);

// src/bake/lifecycle.ts
var import_client_ec22 = __toESM(require_dist_cjs2(), 1);
import { randomBytes as randomBytes2 } from "node:crypto";

// src/bake/console.ts
var import_client_ec2 = __toESM(require_dist_cjs2(), 1);
function consoleDelta(prev, next) {
  if (!prev) return next;
  if (next.startsWith(prev)) return next.slice(prev.length);
  if (prev.endsWith(next) || prev.includes(next)) return "";
  for (let len = Math.min(prev.length, next.length, 4096); len >= 64; len = Math.floor(len / 2)) {
    const at = next.lastIndexOf(prev.slice(-len));
    if (at >= 0) return next.slice(at + len);
  }
  return next;
}
function parseResult(text) {
  if (!text) return void 0;
  const m = /^status=(\d+)\s*$/m.exec(text) ?? RESULT_LINE_RE.exec(text);
  return m ? Number(m[1]) : void 0;
}
function consoleResult(text) {
  const re = new RegExp(RESULT_LINE_RE.source, "gm");
  let status;
  for (const m of text.matchAll(re)) status = Number(m[1]);
  return status;
}
function tail(text, lines = 40) {
  const all = text.replace(/\s+$/, "").split("\n");
  return all.slice(-lines).join("\n");
}
var ConsoleReader = class {
  constructor(ec2, instanceId, logger) {
    this.ec2 = ec2;
    this.instanceId = instanceId;
    this.logger = logger;
  }
  ec2;
  instanceId;
  logger;
  latest = true;
  shown = "";
  async read() {
    try {
      const out = await this.ec2.send(
        new import_client_ec2.GetConsoleOutputCommand({ InstanceId: this.instanceId, Latest: this.latest || void 0 })
      );
      return out.Output ? Buffer.from(out.Output, "base64").toString("utf8") : "";
    } catch (err) {
      if (this.latest) {
        this.latest = false;
        this.logger.debug(`GetConsoleOutput Latest=true: ${errorMessage(err)}; reading without it`);
        return this.read();
      }
      this.logger.debug(`GetConsoleOutput: ${errorMessage(err)}`);
      return void 0;
    }
  }
  /** Prints what the console added since the last call (as instance text: inert). */
  async stream() {
    const text = await this.read();
    if (text === void 0) return void 0;
    const delta = consoleDelta(this.shown, text);
    const cut = delta.lastIndexOf("\n");
    if (cut >= 0) {
      this.logger.untrusted(delta.slice(0, cut).replace(/\r/g, ""));
      this.shown = text.slice(0, text.length - (delta.length - cut - 1));
    }
    return text;
  }
};

// src/bake/staging.ts
var import_client_s3 = __toESM(require_dist_cjs4(), 1);
var import_lib_storage = __toESM(require_dist_cjs5(), 1);
var import_s3_request_presigner = __toESM(require_dist_cjs6(), 1);
import { createReadStream as createReadStream2 } from "node:fs";
var MAX_EXPIRY = 7 * 24 * 3600;
function stagingKeys(loc, token) {
  const slash = loc.key.lastIndexOf("/");
  const prefix = slash >= 0 ? loc.key.slice(0, slash + 1) : "";
  return {
    bucket: loc.bucket,
    fs: loc.key,
    result: `${prefix}amibake-${token}.result`,
    log: `${prefix}amibake-${token}.log`
  };
}
async function uploadFs(s3, keys, path, logger) {
  const upload = new import_lib_storage.Upload({
    client: s3,
    params: { Bucket: keys.bucket, Key: keys.fs, Body: createReadStream2(path) },
    partSize: 16 * 1024 * 1024,
    queueSize: 4,
    leavePartsOnError: false
  });
  await upload.done();
  logger.info(`uploaded ${path} to s3://${keys.bucket}/${keys.fs}`);
}
async function presign(s3, keys, opts) {
  const expiresIn = Math.min(MAX_EXPIRY, Math.ceil(opts.seconds) + 900);
  const sign = (cmd) => (0, import_s3_request_presigner.getSignedUrl)(s3, cmd, { expiresIn });
  const [fsUrl, resultUrl, logUrl] = await Promise.all([
    opts.withFs ? sign(new import_client_s3.GetObjectCommand({ Bucket: keys.bucket, Key: keys.fs })) : void 0,
    sign(new import_client_s3.PutObjectCommand({ Bucket: keys.bucket, Key: keys.result })),
    sign(new import_client_s3.PutObjectCommand({ Bucket: keys.bucket, Key: keys.log }))
  ]);
  return { fsUrl, resultUrl, logUrl };
}
async function readObject(s3, bucket, key, logger, lastBytes) {
  try {
    const range = lastBytes ? `bytes=-${lastBytes}` : void 0;
    const out = await s3.send(new import_client_s3.GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
    return await out.Body?.transformToString("utf8");
  } catch (err) {
    if (err instanceof import_client_s3.NoSuchKey || err.name === "NoSuchKey") return void 0;
    if (lastBytes && err.$metadata?.httpStatusCode === 416)
      return "";
    logger.warn(`cannot read s3://${bucket}/${key}: ${errorMessage(err)}`);
    return void 0;
  }
}

// src/bake/lifecycle.ts
var CancelledError = class extends UserError {
  name = "CancelledError";
};
function withLeftovers(err, left) {
  if (err instanceof Error) {
    err.message = `${err.message}
${left}`;
    return err;
  }
  return new Error(`${String(err)}
${left}`);
}
function abortableSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError("the bake was cancelled"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError("the bake was cancelled"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
var preflight = {
  id: "preflight",
  title: "Preflight",
  async run(ctx) {
    const { cfg, deps } = ctx;
    const base = await deps.ec2.send(new import_client_ec22.DescribeImagesCommand({ ImageIds: [ctx.baseAmi] })).then((o) => o.Images?.[0]).catch((err) => {
      if (/InvalidAMIID/.test(err.name)) return void 0;
      throw err;
    });
    if (!base)
      throw new UserError(`${nameOf("baseAmi", cfg.front)}: ${ctx.baseAmi} not found in ${cfg.region}`);
    if (base.State !== "available")
      throw new UserError(`${nameOf("baseAmi", cfg.front)}: ${ctx.baseAmi} is ${base.State}, not available`);
    ctx.digestParts["base-ami"] = ctx.baseAmi;
    ctx.digest = bakeDigest(ctx.digestParts);
    ctx.tags.digest = ctx.digest;
    ctx.tags.baseAmi = ctx.baseAmi;
    const existing = await findByName(deps.ec2, cfg.amiName);
    if (!existing) return;
    const theirs = existing.Tags?.find((t) => t.Key === TAG.digest)?.Value;
    if (theirs !== ctx.digest) {
      throw new UserError(
        `the AMI name ${cfg.amiName} is taken by ${existing.ImageId}, baked from other content or options (${TAG.digest} ${theirs ?? "absent"}, this bake ${ctx.digest}; AMIs baked before ${DIGEST_SCHEME} are never reused): bump the version (${nameOf("targetVersion", cfg.front)}), or deregister ${existing.ImageId} to bake ${cfg.amiName} again`
      );
    }
    if (existing.State === "failed" || existing.State === "invalid" || existing.State === "error")
      throw new UserError(
        `the AMI ${existing.ImageId} (${cfg.amiName}) of an earlier bake is ${existing.State}: deregister it`
      );
    deps.logger.info(`${cfg.amiName} was already baked from the same content: reusing ${existing.ImageId}`);
    ctx.reused = existing.State === "available" ? existing : await waitAvailable(deps.ec2, existing.ImageId, {
      timeoutSeconds: cfg.timeoutAmi,
      intervalSeconds: cfg.waitAmi,
      abortSignal: ctx.signal
    });
    ctx.done = true;
  }
};
var stage = {
  id: "stage",
  title: "Stage files",
  async run(ctx) {
    const { cfg, deps } = ctx;
    const prepared = cfg.prepared;
    if (cfg.staging) {
      ctx.staging = stagingKeys(cfg.staging, ctx.clientToken);
      ctx.urls = await presign(deps.s3, ctx.staging, {
        seconds: cfg.timeoutInstance,
        withFs: prepared.fsMode === "external"
      });
      for (const url of Object.values(ctx.urls)) if (url) deps.logger.mask(url);
    } else {
      deps.logger.info("no S3 location: the install result is read from the console only");
    }
    ctx.userdata = finalUserdata(prepared.userdata, ctx.urls, { keyPair: cfg.keyPair });
    deps.logger.info(`user data: ${ctx.userdata.length} bytes of 16384`);
    if (prepared.fsMode === "external" && ctx.staging) {
      await uploadFs(deps.s3, ctx.staging, prepared.fsTgzPath, deps.logger);
    }
  }
};
var Launcher = class {
  /** The RunInstances call in flight, so a cancel can wait for its answer. */
  inflight;
  /** The CreateImage call in flight: a cancel waits for it too, so its AMI id is known. */
  imaging;
};
function launch(launcher) {
  return {
    id: "launch",
    title: "Launch",
    async run(ctx) {
      const { cfg, deps } = ctx;
      const input = runInstancesInput({
        baseAmi: ctx.baseAmi,
        instanceType: cfg.instanceType,
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        profile: cfg.profile,
        keyPair: cfg.keyPair,
        userdata: ctx.userdata,
        clientToken: ctx.clientToken,
        tags: runTags(ctx.tags),
        blockDevices: ctx.blockDevices
      });
      if (ctx.signal.aborted) throw new CancelledError("the bake was cancelled");
      deps.state.save(STATE.clientToken, ctx.clientToken);
      deps.state.save(STATE.launch, "started");
      const call = deps.ec2.send(new import_client_ec22.RunInstancesCommand(input));
      launcher.inflight = call.catch(() => void 0);
      let id;
      try {
        id = (await call).Instances?.[0]?.InstanceId;
      } catch (err) {
        if (refusedByAws(err)) deps.state.save(STATE.launch, "failed");
        throw new UserError(`RunInstances: ${errorMessage(err)}`);
      }
      if (!id) throw new Error("RunInstances returned no instance");
      deps.state.save(STATE.instanceId, id);
      deps.state.save(STATE.launch, "returned");
      ctx.instanceId = id;
      deps.logger.info(`launched ${id} (${cfg.instanceType}, ${ctx.baseAmi}, run ${cfg.runId})`);
    }
  };
}
var install = {
  id: "install",
  title: "Install (until stopped)",
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId;
    const reader = new ConsoleReader(deps.ec2, id, deps.logger);
    const deadline = ctx.now() + cfg.timeoutInstance * 1e3;
    const interval = cfg.waitInstance * 1e3;
    let lastConsole = "";
    const stopped = await deps.logger.group(`Install output (console of ${id})`, async () => {
      for (; ; ) {
        const inst = await describeInstance(deps.ec2, id);
        const state = inst?.State?.Name ?? "unknown";
        lastConsole = await reader.stream() ?? lastConsole;
        if (state === "stopped") return true;
        if (state === "terminated" || state === "shutting-down")
          throw new UserError(
            `the instance ${id} was terminated during the install: ${inst?.StateReason?.Message ?? "no reason given"}`
          );
        const left = deadline - ctx.now();
        if (left <= 0) return false;
        await ctx.sleep(Math.min(interval, left));
      }
    });
    if (!stopped) {
      const text = await reader.read() || lastConsole;
      const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
      throw new UserError(
        `the instance ${id} did not stop within ${cfg.timeoutInstance} s` + (shown ? "; its last console lines are printed above" : "")
      );
    }
    ctx.installStatus = await readStatus(ctx, reader);
    if (ctx.installStatus === void 0) {
      if (!cfg.allowNoResult) {
        const text = await reader.read() || lastConsole;
        const shown = showTail(deps.logger, text, `Last console lines of ${id}:`);
        throw new UserError(
          `the instance ${id} stopped without reporting an install result (no result object, no AMIBAKE-RESULT console line). If the base image cannot report one, set ${nameOf("allowNoResult", cfg.front)} to trust the stop` + (shown ? "; its last console lines are printed above" : "")
        );
      }
      deps.logger.warn(
        `no install result from ${id}: trusting the stop (${nameOf("allowNoResult", cfg.front)})`
      );
      return;
    }
    if (ctx.installStatus !== 0) {
      const log = ctx.staging ? await readObject(deps.s3, ctx.staging.bucket, ctx.staging.log, deps.logger, TAIL_BYTES) : void 0;
      const text = log ?? (await reader.read() || lastConsole);
      const what = log ? "install log" : "console";
      const shown = showTail(deps.logger, text, `Last lines of the ${what}:`);
      throw new UserError(
        `the install failed (status ${ctx.installStatus}); no AMI was created` + (shown ? `. The last lines of the ${what} are printed above` : "")
      );
    }
    deps.logger.info(`install succeeded (status 0)`);
  }
};
var TAIL_BYTES = 64 * 1024;
var RESULT_BYTES = 4096;
function showTail(logger, text, title) {
  if (!text) return false;
  logger.untrusted(tail(text), title);
  return true;
}
async function readStatus(ctx, reader) {
  const { deps, cfg } = ctx;
  if (ctx.staging) {
    const status = parseResult(
      await readObject(deps.s3, ctx.staging.bucket, ctx.staging.result, deps.logger, RESULT_BYTES)
    );
    if (status !== void 0) return status;
  }
  for (let i = 0; i < 3; i++) {
    const text = await reader.read();
    const status = text ? consoleResult(text) : void 0;
    if (status !== void 0) return status;
    if (i < 2) await ctx.sleep(cfg.waitInstance * 1e3);
  }
  return void 0;
}
function image(launcher) {
  return {
    id: "image",
    title: "Create AMI",
    run: (ctx) => createAmi(ctx, launcher)
  };
}
async function createAmi(ctx, launcher) {
  const { cfg, deps } = ctx;
  const tags = imageTags(ctx.tags);
  if (ctx.signal.aborted) throw new CancelledError("the bake was cancelled");
  deps.state.save(STATE.imageName, cfg.amiName);
  const call = createImage(deps.ec2, {
    instanceId: ctx.instanceId,
    name: cfg.amiName,
    description: cfg.description,
    tags
  });
  launcher.imaging = call.catch(() => void 0);
  let imageId;
  try {
    imageId = await call;
  } catch (err) {
    if (refusedByAws(err)) deps.state.save(STATE.imageName, "");
    throw err;
  }
  deps.state.save(STATE.imageId, imageId);
  deps.logger.info(`creating ${imageId} (${cfg.amiName})`);
  const available = await waitAvailable(deps.ec2, imageId, {
    timeoutSeconds: cfg.timeoutAmi,
    intervalSeconds: cfg.waitAmi,
    abortSignal: ctx.signal
  });
  await tagSnapshots(deps.ec2, available, tags);
  deps.state.save(STATE.imageDone, "1");
  ctx.image = available;
  deps.logger.info(`${imageId} is available`);
}
var terminateInstance = {
  id: "terminate",
  title: "Terminate",
  async run(ctx) {
    const { cfg, deps } = ctx;
    const id = ctx.instanceId;
    try {
      await terminateKnown(deps.ec2, id, { deadline: deadlineIn(120), logger: deps.logger });
      await waitTerminated(deps.ec2, [id], { maxWaitSeconds: 600, delaySeconds: cfg.waitInstance });
      deps.state.save(STATE.terminated, "1");
      deps.logger.info(`terminated ${id}`);
    } catch (err) {
      deps.logger.warn(`could not confirm that ${id} is terminated: ${errorMessage(err)}`);
    }
  }
};
function defaultPhases(launcher) {
  return [preflight, stage, launch(launcher), install, image(launcher), terminateInstance];
}
var Bake = class {
  constructor(cfg, deps, phases) {
    this.cfg = cfg;
    this.deps = deps;
    this.phases = (phases ?? defaultPhases)(this.launcher);
    const signal = this.abort.signal;
    const sleep = deps.sleep ?? abortableSleep;
    const clientToken = randomBytes2(8).toString("hex");
    const digestParts = imageDigestParts(cfg);
    this.ctx = {
      cfg,
      deps,
      signal,
      clientToken,
      baseAmi: cfg.baseAmi,
      digestParts,
      digest: bakeDigest(digestParts),
      tags: {
        name: cfg.name,
        version: cfg.version,
        amiName: cfg.amiName,
        runId: cfg.runId,
        clientToken,
        digest: "",
        baseAmi: cfg.baseAmi,
        extra: cfg.extraTags
      },
      urls: {},
      done: false,
      report: { outputs: {}, fileVars: {}, summary: [] },
      sleep: (ms) => sleep(ms, signal),
      now: deps.now ?? Date.now
    };
  }
  cfg;
  deps;
  abort = new AbortController();
  launcher = new Launcher();
  cleaning;
  phases;
  ctx;
  timings = [];
  get cancelled() {
    return this.abort.signal.aborted;
  }
  async run() {
    const { ctx } = this;
    try {
      for (const phase of this.phases) {
        if (ctx.done && !phase.always) continue;
        if (this.cancelled) throw new CancelledError("the bake was cancelled");
        const t0 = ctx.now();
        await phase.run(ctx);
        this.timings.push({ phase: phase.id, title: phase.title, seconds: (ctx.now() - t0) / 1e3 });
      }
    } catch (err) {
      if (!this.cancelled) {
        const report = await this.cleanupOnce({ wait: true });
        const st = this.deps.state.values();
        const kept = report.keptImage ?? (st[STATE.imageDone] ? st[STATE.imageId] : void 0);
        const notes = [
          leftoverMessage(report),
          kept ? `the AMI ${kept} (${this.cfg.amiName}) is complete and kept: a new bake reuses it` : ""
        ].filter(Boolean);
        if (notes.length) throw withLeftovers(err, notes.join("\n"));
      }
      throw err;
    }
    const image2 = ctx.reused ?? ctx.image;
    return {
      amiId: image2?.ImageId ?? "",
      amiName: this.cfg.amiName,
      region: this.cfg.region,
      instanceId: ctx.instanceId,
      terminated: Boolean(this.deps.state.values()[STATE.terminated]),
      reused: Boolean(ctx.reused),
      baseAmi: ctx.baseAmi,
      instanceType: this.cfg.instanceType,
      digest: ctx.digest,
      snapshots: (image2?.BlockDeviceMappings ?? []).flatMap(
        (m) => m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []
      ),
      timings: this.timings,
      report: ctx.report
    };
  }
  /** Terminates what the bake launched; every caller gets the same (single) cleanup. */
  cleanupOnce(opts) {
    this.cleaning ??= cleanup({
      ec2: this.deps.ec2,
      quick: this.deps.quick,
      logger: this.deps.logger,
      // Read afresh: a CreateImage that returned after the cancel has saved its id meanwhile.
      state: () => this.deps.state.values(),
      wait: opts.wait,
      images: true,
      delaySeconds: Math.min(this.cfg.waitInstance, 5),
      lookupSeconds: opts.wait ? 30 : 0,
      terminateSeconds: opts.terminateSeconds,
      // Within a signal handler's time limit: the post step looks again, for longer.
      imageLookupSeconds: opts.terminateSeconds === void 0 ? void 0 : Math.min(15, opts.terminateSeconds)
    }).then((report) => {
      const id = this.deps.state.values()[STATE.instanceId];
      if (id && report.confirmed.includes(id)) this.deps.state.save(STATE.terminated, "1");
      return report;
    });
    return this.cleaning;
  }
  /**
   * Stops the bake (a signal): the loops end, a RunInstances or CreateImage in flight gets
   * `graceMs` to answer so its instance or AMI id is known, then the instance is terminated
   * (and, with `wait`, seen terminated) and the AMI kept or discarded. The report's problems
   * name what is left.
   */
  async cancel(opts) {
    this.abort.abort();
    const inflight = [this.launcher.inflight, this.launcher.imaging].filter(Boolean);
    if (inflight.length) {
      let timer;
      await Promise.race([Promise.all(inflight), new Promise((r) => timer = setTimeout(r, opts.graceMs))]);
      clearTimeout(timer);
    }
    return this.cleanupOnce(opts);
  }
};

// src/golden/dryrun.ts
var import_client_ec24 = __toESM(require_dist_cjs2(), 1);

// src/golden/retention.ts
var import_client_ec23 = __toESM(require_dist_cjs2(), 1);
var IN_USE_STATES = ["pending", "running", "shutting-down", "stopping", "stopped"];
var summarise = (i) => ({
  imageId: i.ImageId,
  name: i.Name ?? "",
  created: i.CreationDate ?? "",
  snapshots: snapshotIds(i)
});
async function planRetention(i) {
  const images = [];
  for await (const page of (0, import_client_ec23.paginateDescribeImages)(
    { client: i.ec2, pageSize: 1e3 },
    { Owners: ["self"], IncludeDeprecated: true, Filters: [{ Name: `tag:${TAG2.name}`, Values: [i.family] }] }
  ))
    images.push(...page.Images ?? []);
  const family = images.filter((img) => img.Tags?.some((t) => t.Key === TAG2.name && t.Value === i.family));
  family.sort(
    (a, b) => (b.CreationDate ?? "").localeCompare(a.CreationDate ?? "") || (b.ImageId ?? "").localeCompare(a.ImageId ?? "")
  );
  const plan = {
    region: i.region,
    family: i.family,
    keepLast: i.keepLast,
    keep: [],
    remove: [],
    skip: []
  };
  const candidates = [];
  let kept = 0;
  for (const img of family) {
    const usable = img.State === "available";
    if (i.protect.includes(img.ImageId) || usable && kept < i.keepLast) {
      plan.keep.push(summarise(img));
      if (usable) kept++;
    } else candidates.push(img);
  }
  const users = await instancesUsing(
    i.ec2,
    candidates.map((c) => c.ImageId)
  );
  for (const img of candidates) {
    const s = summarise(img);
    const protection = img.DeregistrationProtection ?? "disabled";
    if (img.State !== "available" && img.State !== "failed")
      plan.skip.push({ ...s, reason: `it is ${img.State}` });
    else if (protection !== "disabled" && protection !== "")
      plan.skip.push({ ...s, reason: "deregistration protection is on" });
    else if (users.get(img.ImageId)?.length)
      plan.skip.push({ ...s, reason: `in use by ${users.get(img.ImageId).join(", ")}` });
    else plan.remove.push(s);
  }
  return plan;
}
async function instancesUsing(ec2, imageIds) {
  const users = /* @__PURE__ */ new Map();
  for (let n = 0; n < imageIds.length; n += 200) {
    let NextToken;
    do {
      const out = await ec2.send(
        new import_client_ec23.DescribeInstancesCommand({
          Filters: [
            { Name: "image-id", Values: imageIds.slice(n, n + 200) },
            { Name: "instance-state-name", Values: IN_USE_STATES }
          ],
          NextToken
        })
      );
      for (const r of out.Reservations ?? [])
        for (const inst of r.Instances ?? [])
          if (inst.ImageId && inst.InstanceId)
            users.set(inst.ImageId, [...users.get(inst.ImageId) ?? [], inst.InstanceId]);
      NextToken = out.NextToken;
    } while (NextToken);
  }
  return users;
}
function formatPlan(plan) {
  const lines = [
    `retention in ${plan.region} for "${plan.family}" (keep last ${plan.keepLast}): ${plan.keep.length} kept, ${plan.remove.length} to remove, ${plan.skip.length} skipped`
  ];
  for (const k of plan.keep) lines.push(`  keep    ${k.imageId}  ${k.created}  ${k.name}`);
  for (const r of plan.remove)
    lines.push(
      `  remove  ${r.imageId}  ${r.created}  ${r.name}${r.snapshots.length ? `  (+ ${r.snapshots.join(", ")})` : ""}`
    );
  for (const s of plan.skip) lines.push(`  skip    ${s.imageId}  ${s.created}  ${s.name}: ${s.reason}`);
  return lines;
}
async function applyRetention(ec2, plan, log) {
  const result = { region: plan.region, removed: [], failed: [] };
  for (const r of plan.remove) {
    const removal = await removeImage(ec2, r.imageId, log, r.snapshots);
    if (removal.problems.length) result.failed.push({ imageId: r.imageId, problems: removal.problems });
    else {
      result.removed.push({ imageId: r.imageId, snapshots: removal.snapshots });
      log.info(
        `retention: deregistered ${r.imageId} in ${plan.region}${removal.snapshots.length ? `, deleted ${removal.snapshots.join(", ")}` : ""}`
      );
    }
  }
  return result;
}

// src/golden/dryrun.ts
var DENIED = /* @__PURE__ */ new Set(["UnauthorizedOperation", "AccessDenied", "AccessDeniedException"]);
var PLACEHOLDER_INSTANCE = "i-0000000000000000a";
async function probe(action, region, send) {
  try {
    await send(true);
    return { action, region, outcome: "unproven", detail: "the endpoint ignored DryRun" };
  } catch (err) {
    const code = errorCode(err);
    if (code === "DryRunOperation") return { action, region, outcome: "allowed", detail: "" };
    if (DENIED.has(code)) {
      const msg = errorMessage(err);
      const encoded = /Encoded authorization failure message/i.test(msg) ? " (decode it with `aws sts decode-authorization-message`)" : "";
      return {
        action,
        region,
        outcome: "denied",
        detail: `${code}: ${msg.split("Encoded")[0].trim()}${encoded}`
      };
    }
    return { action, region, outcome: "unproven", detail: `${code || "error"}: ${errorMessage(err)}` };
  }
}
async function runProbes(i) {
  const { ec2, region } = i;
  const baseId = i.base.ImageId;
  const baseSnap = snapshotIds(i.base)[0];
  const results = [];
  const run = async (action, r, send) => results.push(await probe(action, r, send));
  await run(
    "RunInstances",
    region,
    (DryRun) => ec2.send(new import_client_ec24.RunInstancesCommand({ ...i.launch, ClientToken: void 0, DryRun }))
  );
  await run(
    "CreateTags",
    region,
    (DryRun) => ec2.send(new import_client_ec24.CreateTagsCommand({ Resources: [baseId], Tags: i.tags, DryRun }))
  );
  await run(
    "CreateImage",
    region,
    (DryRun) => ec2.send(new import_client_ec24.CreateImageCommand({ InstanceId: PLACEHOLDER_INSTANCE, Name: i.amiName, DryRun }))
  );
  await run(
    "TerminateInstances",
    region,
    (DryRun) => ec2.send(new import_client_ec24.TerminateInstancesCommand({ InstanceIds: [PLACEHOLDER_INSTANCE], DryRun }))
  );
  const regions = [region, ...i.copies.map((c) => c.region)];
  for (const c of i.copies)
    await run(
      "CopyImage",
      c.region,
      (DryRun) => i.clientFor(c.region).send(
        new import_client_ec24.CopyImageCommand({
          SourceImageId: baseId,
          SourceRegion: region,
          Name: i.amiName,
          ...c.encrypted && { Encrypted: true },
          ...c.kmsKeyId && { KmsKeyId: c.kmsKeyId },
          DryRun
        })
      )
    );
  const s = i.settings;
  const shares = [
    ...s.accounts.map((UserId) => ({ UserId })),
    ...s.organizations.map((OrganizationArn) => ({ OrganizationArn })),
    ...s.ous.map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
    ...s.public ? [{ Group: "all" }] : []
  ];
  for (const r of regions) {
    const c = r === region ? ec2 : i.clientFor(r);
    if (s.imdsV2 || shares.length)
      await run(
        "ModifyImageAttribute",
        r,
        (DryRun) => c.send(
          new import_client_ec24.ModifyImageAttributeCommand({
            ImageId: baseId,
            ...shares.length ? { LaunchPermission: { Add: shares } } : { ImdsSupport: { Value: "v2.0" } },
            DryRun
          })
        )
      );
    if (s.shareSnapshots !== "false" && s.accounts.length && baseSnap && r === region)
      await run(
        "ModifySnapshotAttribute",
        r,
        (DryRun) => c.send(
          new import_client_ec24.ModifySnapshotAttributeCommand({
            SnapshotId: baseSnap,
            Attribute: "createVolumePermission",
            OperationType: "add",
            UserIds: s.accounts,
            DryRun
          })
        )
      );
    if (s.deprecateAfter)
      await run(
        "EnableImageDeprecation",
        r,
        (DryRun) => c.send(
          new import_client_ec24.EnableImageDeprecationCommand({
            ImageId: baseId,
            DeprecateAt: new Date(Date.now() + s.deprecateAfter.ms),
            DryRun
          })
        )
      );
    if (s.protection !== "false")
      await run(
        "EnableImageDeregistrationProtection",
        r,
        (DryRun) => c.send(new import_client_ec24.EnableImageDeregistrationProtectionCommand({ ImageId: baseId, DryRun }))
      );
    if (i.retention) {
      await run(
        "DeregisterImage",
        r,
        (DryRun) => c.send(new import_client_ec24.DeregisterImageCommand({ ImageId: baseId, DryRun }))
      );
      if (baseSnap && r === region)
        await run(
          "DeleteSnapshot",
          r,
          (DryRun) => c.send(new import_client_ec24.DeleteSnapshotCommand({ SnapshotId: baseSnap, DryRun }))
        );
    }
  }
  return results;
}
async function checkLaunchTargets(ec2, t) {
  const problems = [];
  const lines = [];
  const missing = (err) => /\.NotFound$|^InvalidGroupId\.Malformed$/.test(errorCode(err));
  let vpc;
  try {
    const out = await ec2.send(new import_client_ec24.DescribeSubnetsCommand({ SubnetIds: [t.subnet] }));
    const subnet = out.Subnets?.[0];
    vpc = subnet?.VpcId;
    if (!subnet) problems.push(`${t.names.subnet}: ${t.subnet} does not exist in this region`);
    else lines.push(`subnet            ${t.subnet} in ${subnet.VpcId}, ${subnet.AvailabilityZone}`);
  } catch (err) {
    if (missing(err)) problems.push(`${t.names.subnet}: ${t.subnet} does not exist in this region`);
    else lines.push(`subnet            ${t.subnet}: not checked (${errorMessage(err)})`);
  }
  const groups = async (ids) => (await ec2.send(new import_client_ec24.DescribeSecurityGroupsCommand({ GroupIds: ids }))).SecurityGroups ?? [];
  try {
    let found = [];
    const absent = [];
    try {
      found = await groups(t.securityGroups);
    } catch (err) {
      if (!missing(err)) throw err;
      for (const id of t.securityGroups)
        found.push(
          ...await groups([id]).catch((e) => {
            if (!missing(e)) throw e;
            absent.push(id);
            return [];
          })
        );
    }
    absent.push(
      ...t.securityGroups.filter((id) => !absent.includes(id) && !found.some((g) => g.GroupId === id))
    );
    if (absent.length)
      problems.push(`${t.names.securityGroups}: ${absent.join(", ")} does not exist in this region`);
    const elsewhere = found.filter((g) => vpc && g.VpcId !== vpc);
    if (elsewhere.length)
      problems.push(
        `${t.names.securityGroups}: ${elsewhere.map((g) => `${g.GroupId} is in ${g.VpcId}`).join(", ")}, not in the subnet's ${vpc}`
      );
  } catch (err) {
    lines.push(`security groups   not checked (${errorMessage(err)})`);
  }
  if (t.keyPair)
    try {
      await ec2.send(new import_client_ec24.DescribeKeyPairsCommand({ KeyNames: [t.keyPair] }));
    } catch (err) {
      if (missing(err)) problems.push(`${t.names.keyPair}: no key pair named ${t.keyPair} in this region`);
      else lines.push(`key pair          not checked (${errorMessage(err)})`);
    }
  return { lines, problems };
}
function formatProbes(results) {
  const mark = { allowed: "allowed ", denied: "DENIED  ", unproven: "unproven" };
  return results.map(
    (r) => `  ${mark[r.outcome]}  ${r.action} in ${r.region}${r.detail ? `: ${r.detail}` : ""}`
  );
}
function assertAllowed(results) {
  const denied = results.filter((r) => r.outcome === "denied");
  if (denied.length)
    throw new UserError(
      `dry run: the role may not make ${denied.length} call(s) the bake needs: ` + denied.map((d) => `ec2:${d.action} in ${d.region}`).join(", ")
    );
}
function formatBakePlan(p) {
  const l = p.launch;
  const s = p.settings;
  const lines = [
    `region            ${p.region}`,
    `base image        ${p.baseImageId} (${p.baseHow})`,
    `instance          ${l.InstanceType} in ${l.SubnetId}, security groups ${(l.SecurityGroupIds ?? []).join(", ")}${l.IamInstanceProfile ? `, profile ${l.IamInstanceProfile.Arn ?? l.IamInstanceProfile.Name}` : ", no instance profile"}${l.KeyName ? `, key pair ${l.KeyName}` : ", no key pair"}`,
    `metadata          IMDSv2 ${l.MetadataOptions?.HttpTokens === "required" ? "required" : "optional"}; shutdown behaviour ${l.InstanceInitiatedShutdownBehavior ?? "stop"}`,
    `root volume       ${describeRootVolume(l.BlockDeviceMappings?.[0])}`,
    `user data         ${p.userDataBytes} of ${p.userDataLimit} bytes`,
    `AMI               "${p.amiName}"${p.description ? ` - ${p.description}` : ""}; IMDSv2 ${s.imdsV2 ? "required" : "not required"}`,
    `tags              ${p.tags.map((t) => `${t.Key}=${t.Value}`).join(", ")}`,
    `copies            ${p.copies.length ? p.copies.map((c) => `${c.region}${c.encrypted ? ` (encrypted${c.kmsKeyId ? ` with ${c.kmsKeyId}` : ""})` : ""}`).join(", ") : "none"}`,
    `shared with       ${[...s.accounts, ...s.organizations, ...s.ous, ...s.public ? ["PUBLIC"] : []].join(", ") || "nobody"}`,
    `deprecation       ${s.deprecateAfter ? `after ${formatMs(s.deprecateAfter.ms)}` : "none"}`,
    `protection        ${s.protection === "false" ? "none" : `deregistration protection${s.protection === "cooldown" ? " with cooldown" : ""}`}`
  ];
  if (p.sweepAge)
    lines.push(
      `janitor           terminate amibake instances, finish unfinished AMIs older than ${p.sweepAge}`
    );
  for (const r of p.retention) lines.push(...formatPlan(r));
  return lines;
}

// src/golden/phases.ts
var OUTPUT = { baseAmi: "base-ami", amis: "amis" };
function goldenConfig(opts, front, region) {
  const n = (k) => nameOf(k, front);
  const volumeNames = {
    size: n("rootVolumeSize"),
    type: n("rootVolumeType"),
    iops: n("rootVolumeIops"),
    throughput: n("rootVolumeThroughput"),
    encrypt: n("encrypt"),
    kmsKey: n("kmsKey")
  };
  const volume = {
    size: opts.rootVolumeSize,
    type: opts.rootVolumeType,
    iops: opts.rootVolumeIops,
    throughput: opts.rootVolumeThroughput,
    encrypt: opts.encrypt || !!opts.kmsKey,
    kmsKey: opts.kmsKey
  };
  const settings = {
    imdsV2: opts.amiImdsv2,
    accounts: [...new Set(opts.shareAccounts ?? [])],
    organizations: [...new Set(opts.shareOrgs ?? [])],
    ous: [...new Set(opts.shareOus ?? [])],
    public: opts.public,
    shareSnapshots: opts.shareSnapshots,
    deprecateAfter: opts.deprecateAfter,
    protection: opts.deregistrationProtection
  };
  const problems = [];
  const collect = (fn) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof OptionError) problems.push(...err.problems);
      else problems.push(errorMessage(err));
    }
  };
  collect(() => validateRootVolume(volume, volumeNames));
  problems.push(
    ...sharingProblems(settings, volume.encrypt, opts.kmsKey, {
      public: n("public"),
      encrypt: n("encrypt"),
      kmsKey: n("kmsKey"),
      accounts: n("shareAccounts"),
      organizations: n("shareOrgs"),
      ous: n("shareOus")
    })
  );
  let copies = [];
  collect(() => {
    copies = planCopies({
      sourceRegion: region,
      regions: opts.copyRegions ?? [],
      encrypt: volume.encrypt,
      kmsKeys: opts.copyKmsKeys ?? {},
      names: { regions: n("copyRegions"), kmsKeys: n("copyKmsKeys") }
    });
  });
  const shared = settings.accounts.length + settings.organizations.length + settings.ous.length > 0;
  for (const c of copies)
    if (shared && c.encrypted && !c.kmsKeyId)
      problems.push(
        `${n("copyKmsKeys")}: the encrypted copy in ${c.region} would use the AWS-managed key aws/ebs, which cannot be shared; give ${c.region}=KEY`
      );
  const lifetime = (opts.timeoutInstance + opts.timeoutAmi) * 1e3;
  if (opts.sweep && opts.sweepAge.ms <= lifetime)
    problems.push(
      `${n("sweepAge")}: ${opts.sweepAge.text} is not longer than a bake may keep its instance (${n("timeoutInstance")} + ${n("timeoutAmi")} = ${formatMs(lifetime)}); the janitor would terminate running bakes`
    );
  if (problems.length) throw new OptionError(problems);
  return {
    front,
    region,
    baseRef: baseAmiRef(opts.baseAmi),
    templates: opts.tags ?? [],
    volume,
    volumeNames,
    copies,
    settings,
    keepLast: opts.keepLast,
    dryRun: opts.dryRun,
    sweep: opts.sweep,
    sweepAge: opts.sweepAge,
    timeoutCopy: opts.timeoutCopy
  };
}
var tagsOf = (image2) => (image2.Tags ?? []).filter((t) => t.Key && !/^aws:/i.test(t.Key));
var envName = (region) => `AMI_ID_${region.toUpperCase().replace(/-/g, "_")}`;
function goldenPhases(g) {
  return (launcher) => {
    const run = { clients: /* @__PURE__ */ new Map() };
    const clientFor = (ctx) => (region) => {
      if (region === ctx.cfg.region) return ctx.deps.ec2;
      if (!run.clients.has(region)) run.clients.set(region, createEc2(region));
      return run.clients.get(region);
    };
    const phases = defaultPhases(launcher);
    const before = phases.findIndex((p) => p.id === "preflight");
    const list = [
      ...phases.slice(0, before),
      resolvePhase(g, run),
      ...g.sweep ? [sweepPhase(g)] : [],
      phases[before],
      // The dry run checks the copy targets itself (and prints the plan even when they clash).
      ...g.copies.length && !g.dryRun ? [copyTargetsPhase(g, clientFor)] : [],
      ...g.dryRun ? [dryRunPhase(g, run, clientFor)] : [],
      ...phases.slice(before + 1),
      // A dry run ends after its plan: nothing to publish.
      ...g.dryRun ? [] : [publishPhase(g, clientFor)],
      ...g.keepLast && !g.dryRun ? [retentionPhase(g, clientFor)] : []
    ];
    return list;
  };
}
function resolvePhase(g, run) {
  return {
    id: "golden-base",
    title: "Resolve base image",
    async run(ctx) {
      const { cfg, deps } = ctx;
      const ssm = new import_client_ssm.SSMClient({ region: cfg.region, ...sdkRetry() });
      const resolved = await resolveBaseAmi({
        ec2: deps.ec2,
        ssm,
        ref: g.baseRef,
        option: nameOf("baseAmi", g.front)
      });
      run.resolved = resolved;
      for (const w of resolved.warnings) deps.logger.warn(w);
      if (resolved.via !== "id") {
        deps.logger.info(`base image ${resolved.imageId}: ${resolved.how}`);
        ctx.report.summary.push(["Base AMI from", resolved.how]);
      }
      ctx.baseAmi = resolved.imageId;
      ctx.tags.baseAmi = resolved.imageId;
      ctx.blockDevices = [rootBlockDeviceMapping(g.volume, resolved.image, g.volumeNames)];
      ctx.report.summary.push(["Root volume", describeRootVolume(ctx.blockDevices[0])]);
      const v = g.volume;
      ctx.digestParts["root-volume"] = [
        v.type,
        v.size,
        v.iops,
        v.throughput,
        v.encrypt ? v.kmsKey ?? "default" : "plain"
      ].map((x) => x ?? "").join(",");
      ctx.digestParts["imds"] = g.settings.imdsV2 ? "v2.0" : "any";
      const rendered = renderTags(
        g.templates,
        tagContext({
          name: cfg.name,
          version: cfg.version,
          baseAmi: resolved.imageId,
          runId: cfg.runId,
          date: new Date(ctx.now())
        })
      );
      ctx.tags.extra = { ...ctx.tags.extra, ...Object.fromEntries(rendered.map((t) => [t.Key, t.Value])) };
      if (rendered.length)
        ctx.report.summary.push(["Tags", rendered.map((t) => `${t.Key}=${t.Value}`).join(", ")]);
      ctx.report.outputs[OUTPUT.baseAmi] = resolved.imageId;
      ctx.report.fileVars.BASE_AMI = resolved.imageId;
    }
  };
}
function copyTargetsPhase(g, clientFor) {
  return {
    id: "golden-copy-targets",
    title: "Check copy regions",
    async run(ctx) {
      await checkCopyTargets({
        clientFor: clientFor(ctx),
        copies: g.copies,
        name: ctx.cfg.amiName,
        digest: ctx.digest
      });
    }
  };
}
function sweepPhase(g) {
  return {
    id: "golden-sweep",
    title: "Sweep leaked instances",
    async run(ctx) {
      const { cfg, deps } = ctx;
      try {
        const report = await sweep({
          ec2: deps.ec2,
          region: cfg.region,
          olderThanMs: g.sweepAge.ms,
          dryRun: g.dryRun,
          log: deps.logger,
          now: new Date(ctx.now())
        });
        ctx.report.summary.push(["Janitor", formatSweep(report)]);
      } catch (err) {
        deps.logger.warn(`sweep: ${errorMessage(err)}`);
        ctx.report.summary.push(["Janitor", `failed: ${errorMessage(err)}`]);
      }
    }
  };
}
async function dryRetention(g, ctx, clientFor) {
  if (!g.keepLast) return [];
  const plans = [];
  for (const region of [ctx.cfg.region, ...g.copies.map((c) => c.region)]) {
    const ec2 = clientFor(region);
    const existing = await findOwnImageByName(ec2, ctx.cfg.amiName);
    const keepLast = existing ? g.keepLast : g.keepLast - 1;
    const plan = await planRetention({
      ec2,
      region,
      family: ctx.cfg.name,
      keepLast,
      protect: existing ? [existing.ImageId] : []
    });
    plans.push({ ...plan, keepLast: g.keepLast });
  }
  return plans;
}
function dryRunPhase(g, run, clientFor) {
  return {
    id: "golden-dry-run",
    title: "Dry run",
    always: true,
    async run(ctx) {
      const { cfg, deps } = ctx;
      const n = (k) => nameOf(k, g.front);
      const forRegion = clientFor(ctx);
      let urls = {};
      if (cfg.staging) {
        urls = await presign(deps.s3, stagingKeys(cfg.staging, ctx.clientToken), {
          seconds: cfg.timeoutInstance,
          withFs: cfg.prepared.fsMode === "external"
        });
        for (const url of Object.values(urls)) if (url) deps.logger.mask(url);
      }
      const userdata = finalUserdata(cfg.prepared.userdata, urls, { keyPair: cfg.keyPair });
      const launch2 = runInstancesInput({
        baseAmi: ctx.baseAmi,
        instanceType: cfg.instanceType,
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        profile: cfg.profile,
        keyPair: cfg.keyPair,
        userdata,
        clientToken: ctx.clientToken,
        tags: runTags(ctx.tags),
        blockDevices: ctx.blockDevices
      });
      const tags = toTags(imageTags(ctx.tags));
      if (g.copies.length)
        await checkCopyTargets({
          clientFor: forRegion,
          copies: g.copies,
          name: cfg.amiName,
          digest: ctx.digest
        });
      const retention = await dryRetention(g, ctx, forRegion);
      const targets = await checkLaunchTargets(deps.ec2, {
        subnet: cfg.subnet,
        securityGroups: cfg.securityGroups,
        keyPair: cfg.keyPair,
        names: { subnet: n("subnet"), securityGroups: n("securityGroups"), keyPair: n("keyPair") }
      });
      const lines = formatBakePlan({
        region: cfg.region,
        baseHow: run.resolved?.how ?? ctx.baseAmi,
        baseImageId: ctx.baseAmi,
        launch: launch2,
        userDataBytes: userdata.length,
        userDataLimit: USERDATA_LIMIT,
        amiName: cfg.amiName,
        description: cfg.description,
        tags,
        copies: g.copies,
        settings: g.settings,
        retention,
        sweepAge: g.sweep ? formatMs(g.sweepAge.ms) : void 0
      });
      lines.splice(3, 0, ...targets.lines);
      if (ctx.reused)
        lines.unshift(
          `reuse             ${ctx.reused.ImageId}: already baked from the same content, nothing would be launched`
        );
      await deps.logger.group("Dry run: the plan", async () => lines.forEach((l) => deps.logger.info(l)));
      const probes = await runProbes({
        ec2: deps.ec2,
        region: cfg.region,
        clientFor: forRegion,
        launch: launch2,
        base: run.resolved.image,
        amiName: cfg.amiName,
        tags,
        copies: g.copies,
        settings: g.settings,
        retention: !!g.keepLast
      });
      await deps.logger.group(
        "Dry run: permissions (EC2 DryRun calls)",
        async () => formatProbes(probes).forEach((l) => deps.logger.info(l))
      );
      const count = (o) => probes.filter((p) => p.outcome === o).length;
      ctx.report.dryRun = true;
      ctx.report.summary.push(
        ["Dry run", "nothing was uploaded, launched, copied, shared or deleted"],
        ["User data", `${userdata.length} of ${USERDATA_LIMIT} bytes`],
        ["Copies (planned)", g.copies.map((c) => c.region).join(", ") || "none"],
        ["Shared with (planned)", sharedWith(g.settings).join(", ") || "nobody"],
        [
          "Permissions",
          `${count("allowed")} allowed, ${count("denied")} denied, ${count("unproven")} unproven`
        ],
        ...retention.map((p) => [`Retention ${p.region} (planned)`, retentionText(p)])
      );
      if (targets.problems.length) throw new OptionError(targets.problems);
      assertAllowed(probes);
      ctx.done = true;
    }
  };
}
function retentionText(p) {
  const parts = [`keep ${p.keep.map((k) => k.imageId).join(", ") || "none"}`];
  if (p.remove.length) parts.push(`remove ${p.remove.map((r) => r.imageId).join(", ")}`);
  if (p.skip.length) parts.push(`skip ${p.skip.map((s) => `${s.imageId} (${s.reason})`).join(", ")}`);
  return parts.join("; ");
}
var sharedWith = (s) => [
  ...s.accounts,
  ...s.organizations,
  ...s.ous,
  ...s.public ? ["PUBLIC"] : []
];
function settingsText(reports, s) {
  const rows = [];
  const shared = sharedWith(s);
  if (shared.length)
    rows.push([
      "Shared with",
      `${shared.join(", ")} (${reports.filter((r) => r.sharedWith.length).length} of ${reports.length} AMIs)`
    ]);
  const snaps = reports.filter((r) => r.snapshotsSharedWith.length);
  if (snaps.length)
    rows.push([
      "Snapshots shared",
      `with ${s.accounts.join(", ")} in ${snaps.map((r) => r.region).join(", ")}`
    ]);
  rows.push([
    "IMDSv2 required",
    s.imdsV2 ? `yes (${reports.filter((r) => r.imdsV2).length} of ${reports.length} AMIs)` : "no (opted out)"
  ]);
  const dep = reports.find((r) => r.deprecateAt);
  if (dep) rows.push(["Deprecation", dep.deprecateAt]);
  if (s.protection !== "false")
    rows.push([
      "Deregistration protection",
      `${s.protection === "cooldown" ? "on, with cooldown" : "on"} (${reports.filter((r) => r.protection).length} of ${reports.length} AMIs)`
    ]);
  return rows;
}
function publishPhase(g, clientFor) {
  return {
    id: "golden-publish",
    title: "Copy and share",
    always: true,
    async run(ctx) {
      if (g.dryRun) return;
      const { cfg, deps } = ctx;
      const image2 = ctx.reused ?? ctx.image;
      if (!image2?.ImageId) return;
      const forRegion = clientFor(ctx);
      const amis = { [cfg.region]: image2.ImageId };
      const reports = [
        await applyImageSettings({
          ec2: deps.ec2,
          region: cfg.region,
          image: image2,
          settings: g.settings,
          log: deps.logger
        })
      ];
      let outcomes = {};
      let copyError;
      if (g.copies.length) {
        try {
          outcomes = await deps.logger.group(
            `Copies to ${g.copies.map((c) => c.region).join(", ")}`,
            () => copyToRegions({
              clientFor: forRegion,
              sourceRegion: cfg.region,
              sourceImageId: image2.ImageId,
              name: cfg.amiName,
              description: cfg.description,
              digest: ctx.digest,
              copies: g.copies,
              // The copies carry the AMI's own tags (the run and token of the bake that made it).
              tags: tagsOf(image2),
              token: ctx.clientToken,
              timeoutSeconds: g.timeoutCopy,
              pollSeconds: cfg.waitAmi,
              log: deps.logger,
              journal: (s) => deps.state.save(STATE.copies, serializeCopyState(s)),
              signal: ctx.signal
            })
          );
        } catch (err) {
          copyError = err;
        }
        const done = Object.values(outcomes);
        for (const o of done) amis[o.region] = o.imageId;
        reports.push(
          ...await Promise.all(
            done.map(async (o) => {
              const ec2 = forRegion(o.region);
              const copy = await findImage(ec2, o.imageId) ?? { ImageId: o.imageId };
              return applyImageSettings({
                ec2,
                region: o.region,
                image: copy,
                settings: g.settings,
                log: deps.logger
              });
            })
          )
        );
        ctx.report.summary.push([
          "Copies",
          g.copies.map((c) => {
            const o = outcomes[c.region];
            if (!o) return `${c.region}: failed`;
            return `${c.region}: ${o.imageId}${o.reused ? " (reused)" : ` (${Math.round(o.seconds)} s)`}${c.encrypted ? ", encrypted" : ""}`;
          }).join("; ")
        ]);
      }
      ctx.report.summary.push(...settingsText(reports, g.settings));
      ctx.report.outputs[OUTPUT.amis] = JSON.stringify(amis);
      ctx.report.fileVars.AMIS = JSON.stringify(amis);
      for (const [region, id] of Object.entries(amis)) ctx.report.fileVars[envName(region)] = id;
      const problems = reports.flatMap((r) => r.problems);
      if (copyError) problems.unshift(errorMessage(copyError));
      if (problems.length)
        throw new UserError(
          `${image2.ImageId} is available, but not everything asked for was done: ${problems.join("; ")}`
        );
    }
  };
}
function retentionPhase(g, clientFor) {
  return {
    id: "golden-retention",
    title: "Retention",
    always: true,
    async run(ctx) {
      if (g.dryRun || !g.keepLast) return;
      const { cfg, deps } = ctx;
      const amis = JSON.parse(ctx.report.outputs[OUTPUT.amis] ?? "{}");
      const forRegion = clientFor(ctx);
      for (const [region, imageId] of Object.entries(amis)) {
        const ec2 = forRegion(region);
        try {
          const plan = await planRetention({
            ec2,
            region,
            family: cfg.name,
            keepLast: g.keepLast,
            protect: [imageId]
          });
          formatPlan(plan).forEach((l) => deps.logger.info(l));
          const result = await applyRetention(ec2, plan, deps.logger);
          const parts = [`kept ${plan.keep.length}`];
          if (result.removed.length) parts.push(`removed ${result.removed.map((r) => r.imageId).join(", ")}`);
          if (result.failed.length)
            parts.push(`could not remove ${result.failed.map((f) => f.imageId).join(", ")}`);
          if (plan.skip.length)
            parts.push(`skipped ${plan.skip.map((s) => `${s.imageId} (${s.reason})`).join(", ")}`);
          ctx.report.summary.push([`Retention ${region}`, parts.join("; ")]);
        } catch (err) {
          deps.logger.warn(`retention in ${region}: ${errorMessage(err)}`);
          ctx.report.summary.push([`Retention ${region}`, `failed: ${errorMessage(err)}`]);
        }
      }
    }
  };
}

// src/bake/session.ts
async function createBake(opts, files, io) {
  const prepared = await loadPrepared(files.userdata, files.fsTgz, nameOf("fsTgz", io.front));
  const policy = { front: io.front, trustArtifactLocation: io.trustArtifactLocation };
  const region = buildRegion(await configuredRegion(io.env), prepared, policy);
  const cfg = resolveConfig(opts, prepared, { ...policy, region, env: io.env });
  const golden = goldenConfig(opts, io.front, region);
  io.state.save(STATE.region, region);
  const deps = {
    ec2: createEc2(region),
    quick: createEc2(region, 2),
    s3: createS3(cfg.s3Region, io.env),
    logger: io.logger,
    state: io.state,
    ...io.deps
  };
  return new Bake(cfg, deps, io.phases ?? goldenPhases(golden));
}
function onSignals(logger, onSignal, limitMs) {
  let handling = false;
  const codes = { SIGINT: 130, SIGTERM: 143 };
  const handler = (signal) => {
    if (handling) {
      logger.warn(`${signal} again: exiting without waiting for the cleanup`);
      process.exit(codes[signal]);
    }
    handling = true;
    logger.warn(`${signal}: cancelling the bake`);
    const limit = new Promise((r) => setTimeout(r, limitMs));
    Promise.race([onSignal(signal).catch((err) => logger.warn(errorMessage(err))), limit]).finally(
      () => process.exit(codes[signal])
    );
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

export {
  outputFileText,
  writeOutputFile,
  summaryRows,
  summaryText,
  createBake,
  onSignals
};
