"""The session-mapping workflow through boto3/botocore, a second client independent of lean-emr.

Run by tests/botocore.rs against an emulator it started (EMULATOR_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY in the environment, pages of 2, the identities of tests/support). Exits 0
and prints a summary when every step behaved as the service does; any assertion or unexpected
error exits non-zero.
"""

import os
import re

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

URL = os.environ["EMULATOR_URL"]
POLICY = "arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy"
READ_ONLY = "arn:aws:iam::123456789012:policy/EMRStudioReadOnly"
ALICE_ID = "9067d1a5c1-0000-0000-0000-00000000a11c"


def client(**kwargs):
    config = Config(retries={"max_attempts": 1}, **kwargs.pop("config", {}))
    return boto3.client("emr", endpoint_url=URL, region_name="us-east-1", config=config, **kwargs)


def error_of(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"], e.response["ResponseMetadata"]
    raise AssertionError("expected an error")


emr = client()

studio = emr.create_studio(
    Name="from boto3",
    AuthMode="SSO",
    VpcId="vpc-0123456789abcdef0",
    SubnetIds=["subnet-0123456789abcdef0"],
    ServiceRole="arn:aws:iam::123456789012:role/EMRStudioServiceRole",
    UserRole="arn:aws:iam::123456789012:role/EMRStudioUserRole",
    WorkspaceSecurityGroupId="sg-0123456789abcdef0",
    EngineSecurityGroupId="sg-0fedcba9876543210",
    DefaultS3Location="s3://studio-bucket/workspaces",
)
studio_id = studio["StudioId"]
assert re.fullmatch(r"es-[A-Z0-9]{25}", studio_id), studio_id
assert studio["ResponseMetadata"]["RequestId"]

described = emr.describe_studio(StudioId=studio_id)["Studio"]
assert described["StudioArn"] == f"arn:aws:elasticmapreduce:us-east-1:123456789012:studio/{studio_id}"
assert described["Url"] == studio["Url"]
assert described["CreationTime"].year >= 2024, described["CreationTime"]

for kind, name in [("USER", "alice@example.com"), ("USER", "bob@example.com"), ("GROUP", "analysts")]:
    emr.create_studio_session_mapping(
        StudioId=studio_id, IdentityType=kind, IdentityName=name, SessionPolicyArn=POLICY
    )

emr.update_studio_session_mapping(
    StudioId=studio_id, IdentityType="USER", IdentityName="alice@example.com", SessionPolicyArn=READ_ONLY
)
mapping = emr.get_studio_session_mapping(
    StudioId=studio_id, IdentityType="USER", IdentityName="alice@example.com"
)["SessionMapping"]
assert mapping["SessionPolicyArn"] == READ_ONLY, mapping
assert mapping["IdentityId"] == ALICE_ID, mapping
assert mapping["LastModifiedTime"] >= mapping["CreationTime"], mapping

pages = list(emr.get_paginator("list_studio_session_mappings").paginate(StudioId=studio_id))
assert len(pages) == 2, pages
names = sorted(m["IdentityName"] for page in pages for m in page["SessionMappings"])
assert names == ["alice@example.com", "analysts", "bob@example.com"], names

code, message, _ = error_of(
    lambda: emr.create_studio_session_mapping(
        StudioId=studio_id, IdentityType="USER", IdentityName="bob@example.com", SessionPolicyArn=POLICY
    )
)
assert (code, message) == ("InvalidRequestException", "Studio session mapping already exists."), (code, message)

emr.delete_studio_session_mapping(StudioId=studio_id, IdentityType="USER", IdentityId=ALICE_ID)
code, message, meta = error_of(
    lambda: emr.get_studio_session_mapping(StudioId=studio_id, IdentityType="USER", IdentityId=ALICE_ID)
)
assert (code, message) == ("InvalidRequestException", "Studio session mapping does not exist."), (code, message)
assert meta["HTTPStatusCode"] == 400 and meta["RequestId"], meta

# Without botocore's own parameter validation, the emulator's answers.
unvalidated = client(config={"parameter_validation": False})
code, message, _ = error_of(lambda: unvalidated.describe_studio())
assert code == "ValidationException", code
assert message == (
    "1 validation error detected: Value null at 'studioId' failed to satisfy constraint: Member must not be null"
), message

# A wrong secret is refused; the emulator performs every operation of the model, ListReleaseLabels among them.
wrong = client(aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="not-the-secret")
code, _, meta = error_of(lambda: wrong.list_studios())
assert (code, meta["HTTPStatusCode"]) == ("InvalidSignatureException", 403), (code, meta)
assert emr.list_release_labels(Filters={"Prefix": "emr-7"})["ReleaseLabels"] == ["emr-7.0.0"]

emr.delete_studio(StudioId=studio_id)
assert emr.list_studios()["Studios"] == []
print("botocore workflow: ok")
