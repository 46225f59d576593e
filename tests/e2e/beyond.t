#!/bin/sh
# End-to-end, beyond the token: code that makes a risky SAS and a storage
# account key, committed in a real repository with the pre-commit hook
# and pushed to a real server with the pre-receive hook (both installed by
# install.sh; they run sasguard pre-commit / pre-receive).
. tests/e2e/lib.sh

plan 16

# Terraform that would mint an account SAS to 2199 with write permission.
TF='data "azurerm_storage_account_sas" "upload" {
  connection_string = azurerm_storage_account.main.primary_connection_string
  https_only        = true
  start             = "2024-01-01T00:00:00Z"
  expiry            = "2199-12-31"
  resource_types {
    service   = false
    container = true
    object    = true
  }
  services {
    blob  = true
    queue = false
    table = false
    file  = false
  }
  permissions {
    read    = true
    write   = true
    delete  = false
    list    = true
    add     = false
    create  = false
    update  = false
    process = false
    tag     = false
    filter  = false
  }
}'
# The same for four hours, read and list only, on one container.
TF_SAFE='data "azurerm_storage_account_blob_container_sas" "read" {
  connection_string = azurerm_storage_account.main.primary_connection_string
  container_name    = "models"
  https_only        = true
  start             = timestamp()
  expiry            = timeadd(timestamp(), "4h")
  permissions {
    read   = true
    add    = false
    create = false
    write  = false
    delete = false
    list   = true
  }
}'

# --- pre-commit ----------------------------------------------------------
R=$T/repo
new_repo "$R"
commit_file "$R" README.md "# infra"; ok $? "a clean commit goes through"
head1=$(rev "$R" HEAD)
commit_file "$R" infra/sas.tf "$TF"; st=$?
[ "$st" -ne 0 ]; ok $? "pre-commit refuses Terraform that makes an account SAS to 2199 with write"
[ "$(rev "$R" HEAD)" = "$head1" ]; ok $? "... and nothing was committed"
contains "$T/out" "infra/sas.tf:1: BLOCK long-expiry (made by Terraform azurerm_storage_account_sas)"
ok $? "... naming the file, the line, the rule and what makes it"
contains "$T/out" "BLOCK write-permissions (made by Terraform azurerm_storage_account_sas): sp=rwl grants write"
ok $? "... and the write permission"
[ "$st" -ne 0 ] || show "$T/out"
git -C "$R" reset -q --hard
commit_file "$R" infra/read.tf "$TF_SAFE"; st=$?
ok $st "a read-only four-hour container SAS in Terraform goes through"
[ "$st" -eq 0 ] || show "$T/out"

# An account key: random bytes, never printed.
key=$(head -c 64 /dev/urandom | base64 -w0)
commit_file "$R" app/settings.ini "[storage]
connection = DefaultEndpointsProtocol=https;AccountName=acct9;AccountKey=$key;EndpointSuffix=core.windows.net"
st=$?
[ "$st" -ne 0 ]; ok $? "pre-commit refuses a connection string holding an account key"
contains "$T/out" "app/settings.ini:2: BLOCK account-key: storage account key of account 'acct9'"
ok $? "... naming the account"
! contains "$T/out" "$(printf '%.16s' "$key")"; ok $? "... and not the key"
git -C "$R" reset -q --hard
# --no-verify lets the commit in: the server is the second gate.
commit_file "$R" infra/sas.tf "$TF" --no-verify; ok $? "git commit --no-verify skips the hook"

# --- pre-receive ---------------------------------------------------------
S=$T/server.git
new_server "$S"
git -C "$R" remote add origin "$S"
git -C "$R" push -q origin "$head1:refs/heads/main" >"$T/out" 2>&1
ok $? "the server takes the clean history"
push "$R" origin HEAD:refs/heads/main; st=$?
[ "$st" -ne 0 ]; ok $? "the server refuses the push holding the Terraform"
[ "$(rev "$S" refs/heads/main)" = "$head1" ]; ok $? "... its main did not move"
grep -q '^remote: .*infra/sas.tf:1: BLOCK account-sas (made by Terraform azurerm_storage_account_sas)' "$T/out"
ok $? "... and says why, as remote: lines"
[ "$st" -ne 0 ] || show "$T/out"

# [sas-generation] action = off on the server lets the same push through.
printf '[sas-generation]\naction = off\n' >>"$T/server-rules.ini"
push "$R" origin HEAD:refs/heads/main; st=$?
ok $st "with [sas-generation] action = off the server takes it"
[ "$st" -eq 0 ] || show "$T/out"
[ "$(rev "$S" refs/heads/main)" = "$(rev "$R" HEAD)" ]; ok $? "... and main moved"

done_testing
